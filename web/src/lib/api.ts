// The API client: bearer access token in memory, refresh token in sessionStorage (this tab only), silent
// rotation (one refresh in flight at a time; a 401 retries the request once after it), the SPEC's error
// envelope turned into ApiError with the server's message and request id.
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public requestId: string | null,
    public details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  // details.errors [{field, issue}] (or {key, issue}) as field → message.
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const list = (this.details?.errors ?? []) as Array<{ field?: string; key?: string; issue?: string; message?: string }>;
    if (Array.isArray(list))
      for (const e of list) {
        const f = e.field ?? e.key;
        if (f && !(f in out)) out[f] = e.issue ?? e.message ?? 'is invalid';
      }
    const single = this.details?.field;
    if (typeof single === 'string' && !(single in out)) out[single] = this.message;
    return out;
  }
}

export interface User {
  id: string;
  email: string;
  name: string;
  username: string | null;
  role: 'user' | 'admin' | 'super_admin';
  tier: string;
}
interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

const REFRESH_KEY = 'netops.refresh';
let access: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: (() => void) | null = null;
let onUser: ((u: User) => void) | null = null;

export function configureSession(handlers: { signedOut: () => void; user: (u: User) => void }) {
  onSignedOut = handlers.signedOut;
  onUser = handlers.user;
}

function adopt(t: Tokens) {
  access = t.accessToken;
  sessionStorage.setItem(REFRESH_KEY, t.refreshToken);
  if (refreshTimer) clearTimeout(refreshTimer);
  // Rotate a minute before the access token expires (at least after 5 s).
  const ms = Math.max(5, (t.expiresIn ?? 900) - 60) * 1000;
  refreshTimer = setTimeout(() => void refresh(), ms);
  onUser?.(t.user);
}

function clearTokens() {
  access = null;
  sessionStorage.removeItem(REFRESH_KEY);
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
}

export function hasRefreshToken(): boolean {
  return !!sessionStorage.getItem(REFRESH_KEY);
}

async function toError(res: Response): Promise<ApiError> {
  const rid = res.headers.get('x-request-id');
  try {
    const body = await res.json();
    const e = body?.error ?? {};
    return new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, body?.requestId ?? rid, e.details ?? {});
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || 'request failed', rid);
  }
}

export async function login(loginName: string, password: string): Promise<User> {
  const body = loginName.includes('@') ? { email: loginName, password } : { username: loginName, password };
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await toError(res);
  const t = (await res.json()) as Tokens;
  adopt(t);
  return t.user;
}

// Rotates the refresh token; false (and signed out) when the session is gone.
export function refresh(): Promise<boolean> {
  if (refreshing) return refreshing;
  const token = sessionStorage.getItem(REFRESH_KEY);
  if (!token) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: token }),
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) {
          clearTokens();
          onSignedOut?.();
        }
        return false;
      }
      adopt((await res.json()) as Tokens);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logout(): Promise<void> {
  try {
    if (access) await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${access}` } });
  } finally {
    clearTokens();
    onSignedOut?.();
  }
}

async function send(method: string, path: string, body: unknown, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { ...extra };
  if (access) headers.Authorization = `Bearer ${access}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
}

// One call; retried once after a silent refresh when the access token was refused.
export async function raw(method: string, path: string, body?: unknown, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<Response> {
  let res = await send(method, path, body, signal, extra);
  if (res.status === 401 && hasRefreshToken() && (await refresh())) res = await send(method, path, body, signal, extra);
  if (res.status === 401) {
    clearTokens();
    onSignedOut?.();
  }
  return res;
}

export async function api<T = any>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await raw(method, path, body, signal);
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T = any>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal);

// POST that answers text/event-stream: calls onEvent with each JSON event until [DONE] or abort.
export async function stream(path: string, body: unknown, onEvent: (e: any) => void, signal: AbortSignal, onOpen?: (res: Response) => void): Promise<void> {
  const res = await raw('POST', path, body, signal, { Accept: 'text/event-stream' });
  if (!res.ok) throw await toError(res);
  onOpen?.(res);
  if (!res.body) throw new ApiError(res.status, 'NO_BODY', 'the answer had no body', res.headers.get('x-request-id'));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let sep: number;
    while ((sep = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, sep);
      buf = buf.slice(buf[sep] === '\r' ? sep + 4 : sep + 2);
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (!data) continue;
      if (data === '[DONE]') return;
      try {
        onEvent(JSON.parse(data));
      } catch {
        /* a malformed event is skipped */
      }
    }
  }
}

export function listOf<T>(x: any): T[] {
  return Array.isArray(x) ? x : Array.isArray(x?.data) ? x.data : [];
}
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

// Downloads an authenticated GET (CSV exports) as a file: fetch with the bearer token, then a blob link.
export async function download(path: string, filename: string): Promise<void> {
  const res = await raw('GET', path);
  if (!res.ok) throw await toError(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// POST of a non-JSON body (CSV import): the answer parsed as JSON; an error keeps its details (the report).
export async function postText<T = any>(path: string, body: string, contentType: string): Promise<T> {
  const go = () => {
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (access) headers.Authorization = `Bearer ${access}`;
    return fetch(path, { method: 'POST', headers, body });
  };
  let res = await go();
  if (res.status === 401 && hasRefreshToken() && (await refresh())) res = await go();
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}
