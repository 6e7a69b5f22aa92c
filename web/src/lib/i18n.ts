// Every user-visible string of the console, English first. A screen calls t('key') (with {name} params);
// a new language is one more catalog of the same keys.
const en = {
  'app.name': 'NetOpsAI Console',
  'app.skip': 'Skip to content',
  'nav.label': 'Main navigation',
  'nav.chat': 'Chat',
  'nav.assets': 'Assets',
  'nav.providers': 'Providers',
  'nav.models': 'Models',
  'nav.rules': 'Orchestration',
  'nav.keys': 'API keys',
  'nav.usage': 'Usage log',
  'nav.menu': 'Menu',
  'nav.admin': 'Gateway admin',
  'auth.title': 'Sign in',
  'auth.login': 'Email or username',
  'auth.password': 'Password',
  'auth.submit': 'Sign in',
  'auth.signingIn': 'Signing in…',
  'auth.signOut': 'Sign out',
  'auth.signedInAs': 'Signed in as {name}',
  'auth.expired': 'Your session has ended. Please sign in again.',
  'common.loading': 'Loading…',
  'common.empty': 'Nothing here yet.',
  'common.retry': 'Retry',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.delete': 'Delete',
  'common.rename': 'Rename',
  'common.search': 'Search',
  'common.create': 'Create',
  'common.edit': 'Edit',
  'common.close': 'Close',
  'common.previous': 'Previous page',
  'common.next': 'Next page',
  'common.page': 'Page {page} of {pages}',
  'common.requestId': 'Request id',
  'common.error': 'Something went wrong',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.apply': 'Apply filters',
  'common.clear': 'Clear',
  'common.confirmDelete': 'Delete “{name}”?',
  'common.notFound': 'This page does not exist.',
  'chat.conversations': 'Conversations',
  'chat.new': 'New conversation',
  'chat.search': 'Search conversations',
  'chat.noConversations': 'No conversations yet. Ask something to start one.',
  'chat.noMessages': 'Ask a question about your network, assets or anything else.',
  'chat.message': 'Message',
  'chat.send': 'Send',
  'chat.stop': 'Stop',
  'chat.model': 'Model',
  'chat.auto': 'auto (orchestration decides)',
  'chat.tier': 'tier {n}',
  'chat.you': 'You',
  'chat.assistant': 'Assistant',
  'chat.stopped': 'Stopped. The server still stores the whole answer.',
  'chat.tokens': '{prompt} + {completion} tokens',
  'chat.newTitle': 'New title',
  'chat.archive': 'Archive',
  'chat.unarchive': 'Restore',
  'chat.showArchived': 'Show archived conversations',
  'chat.thinking': 'Waiting for the first words…',
  'chat.toolCalls': 'Tool calls ({n})',
  'admin.providers': 'Providers',
  'admin.providerNew': 'Add a provider',
  'admin.apiKeyWriteOnly': 'API key (write-only: never shown again)',
  'admin.apiKeySet': 'key set ({hint})',
  'admin.apiKeyNone': 'no key',
  'admin.health': 'Probe health',
  'admin.models': 'Models',
  'admin.modelNew': 'Add a model',
  'admin.rules': 'Orchestration rules',
  'admin.ruleNew': 'Add a rule',
  'admin.keys': 'API keys',
  'admin.keyName': 'Key name',
  'admin.keyCreate': 'Create key',
  'admin.keyShownOnce': 'Copy this key now: it is shown only once.',
  'admin.keyRevoke': 'Revoke',
  'admin.keyRevoked': 'revoked',
  'admin.keyConfirmRevoke': 'Revoke the key “{name}”? Programs using it stop working at once.',
  'admin.usage': 'Usage log',
  'assets.title': 'Assets',
  'assets.new': 'New asset',
  'assets.search': 'Search code, serial, hostname, IP or MAC',
  'assets.status': 'Status',
  'assets.anyStatus': 'Any status',
  'assets.category': 'Category',
  'assets.anyCategory': 'Any category',
  'assets.warrantyBefore': 'Warranty ends before',
  'assets.detail': 'Asset {code}',
  'assets.events': 'Timeline',
  'assets.attachments': 'Attachments',
  'assets.noAttachments': 'No attachments.',
  'assets.model': 'Model',
  'assets.newModel': 'A new model of this category',
  'assets.existingModel': 'An existing model',
  'assets.noModel': 'No model',
  'assets.modelName': 'Model name',
  'assets.brand': 'Brand',
  'assets.specFields': 'Specification ({category}, version {version})',
  'assets.noSpec': 'This category has no specification fields.',
  'assets.created': 'Asset created.',
  'assets.fixErrors': 'Please fix the highlighted fields.',
} as const;

export type Key = keyof typeof en;
const catalog: Record<Key, string> = en;

export function t(key: Key, params: Record<string, string | number> = {}): string {
  return catalog[key].replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

const locale = typeof navigator !== 'undefined' ? navigator.language : 'en';
const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}
// Money arrives as decimal strings ("0.000123"); shown in the user's locale without float rounding surprises.
export function fmtMoney(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 6 }).format(n);
}
export function fmtNumber(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : new Intl.NumberFormat(locale).format(v);
}
