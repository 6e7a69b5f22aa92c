// History-API routing: the server answers every client route with index.html (SPA fallback).
export const route = $state<{ path: string; query: URLSearchParams }>({
  path: location.pathname,
  query: new URLSearchParams(location.search),
});

function sync() {
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
}
addEventListener('popstate', sync);

export function navigate(to: string, replace = false) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  sync();
}

// <a href="/x" onclick={link}> keeps navigation inside the app for plain left clicks.
export function link(e: MouseEvent) {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
}

// "/assets/:id" against the current path → params, or null.
export function match(pattern: string, path = route.path): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}
