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

// The catalog of the screens added after the first ones, grouped by screen (s.<screen>.<string>). Same
// rule: no user-visible literal in components; a new language replaces this object with the same shape.
export const s = {
  common: {
    apply: 'Apply filters', cancel: 'Cancel', close: 'Close', actions: 'Actions', confirmDelete: 'Delete “{name}”?', create: 'Create', created: 'Created',
    delete: 'Delete', edit: 'Edit', empty: 'Nothing here yet.', fixErrors: 'Please fix the highlighted fields.',
    from: 'From', loading: 'Loading…', name: 'Name', no: 'No', yes: 'Yes', requestId: 'Request id', save: 'Save',
    saved: 'Saved.', search: 'Search', status: 'Status', toExclusive: 'To (exclusive)', updated: 'Updated',
  },
  nav: {
    playground: 'Playground', usageCharts: 'Usage charts', users: 'Users', audit: 'Audit log', catalog: 'Catalog',
    importExport: 'Import / export', inventory: 'Inventory', workflow: 'Requests', tickets: 'Maintenance',
    reminders: 'Reminders', cmdb: 'CMDB', warehouse: 'Warehouse', repair: 'Repair orders',
  },
  play: {
    title: 'Playground', intro: 'Send one prompt through the gateway with a chosen model; the answer streams in.',
    model: 'Model', auto: 'auto (orchestration decides)', tier: 'tier', maxTokens: 'Max tokens', temperature: 'Temperature',
    system: 'System prompt (optional)', prompt: 'Prompt', promptRequired: 'Write a prompt first.', send: 'Send', stop: 'Stop',
    answer: 'Answer', tokens: 'Tokens (prompt + completion)', cost: 'Cost (at the model’s prices)', latency: 'Time to last byte',
  },
  usage: {
    title: 'Usage charts', source: 'Per UTC day: the chat answers of the user (tokens and cost of stored messages). By model and provider: all of the user’s gateway usage in the period (daily roll-up, API and playground calls included). The usage log lists single requests.',
    user: 'User', me: 'Me', period: 'Period', days: 'days', tokensPerDay: 'Tokens per day', costPerDay: 'Cost per day (USD)',
    byModel: 'By model', byProvider: 'By provider', model: 'Model', provider: 'Provider', calls: 'Calls', tokens: 'Tokens', cost: 'Cost',
    none: 'No usage in this period.',
  },
  users: {
    title: 'Users', create: 'Create user', newUser: 'New user', email: 'E-mail', name: 'Name', username: 'Username', password: 'Initial password',
    passwordHint: 'At least 10 characters.', role: 'Role', tier: 'Tier', status: 'Status',
    active: 'Active (may sign in)', reset: 'Reset password', confirmReset: 'Give {name} a new generated password? Their sessions and API keys stop working.', generated: 'New password of {name}: copy it now, it is shown only once.', inactive: 'deactivated', lastLogin: 'Last sign-in',
  },
  audit: { title: 'Audit log', action: 'Action', resource: 'Resource', userId: 'User id', time: 'Time', details: 'Details' },
  catalog: {
    title: 'Catalog', vendors: 'Vendors', categories: 'Categories', models: 'Asset models', locations: 'Locations',
    taxCode: 'Tax code', phone: 'Phone', address: 'Address', activeVersion: 'Active spec version', model: 'Model', brand: 'Brand',
    category: 'Category', vendor: 'Vendor', specVersion: 'Spec version', spec: 'Specification', parent: 'Parent location',
  },
  spec: {
    versions: 'Spec versions', version: 'Version', defCount: 'Fields', active: 'Active specification', draft: 'Draft',
    noDefs: 'No fields.', key: 'Key', label: 'Label', type: 'Type', required: 'Required', unit: 'Unit', min: 'Minimum',
    max: 'Maximum', enumValues: 'Allowed values', enumHint: 'Comma-separated (enum fields)', order: 'Order', rules: 'Rules',
    addDef: 'Add field', publish: 'Publish draft', discard: 'Discard draft', newDraft: 'New draft (copies the active version)',
    report: 'Publish report', published: 'Version {v} is active; {n} models checked.', nonConforming: 'Models that no longer fit',
    errors: 'Problems', allFit: 'Every model fits the new specification.',
  },
  imp: {
    title: 'Assets: import and export', export: 'Export', exportHint: 'Every asset as CSV (the asset list exports its current filter); re-importing the file with “update existing” changes nothing.',
    exportButton: 'Download CSV of all assets', exportFiltered: 'Export CSV (this filter)', import: 'Import CSV', columns: 'Columns: assetCode (required), model, serialNo, macAddress, mgmtIp, hostname, vlanId, switchName, switchPort, location, status, purchaseDate, warrantyEnd, vendor, notes.',
    file: 'CSV file', paste: 'or paste CSV', mode: 'On errors', atomic: 'write nothing (atomic)', skipInvalid: 'skip invalid rows',
    upsert: 'Update existing assets (by asset code)', dryRun: 'Dry run', apply: 'Apply import', dryRunReport: 'Dry run: nothing was written',
    appliedReport: 'Import applied', rows: 'Rows', valid: 'Valid', invalid: 'Invalid', created: 'Created', updated: 'Updated',
    unchanged: 'Unchanged', skipped: 'Skipped', done: 'The import was written.', errors: 'Row errors', row: 'Row', line: 'Line',
    column: 'Column', reason: 'Problem', truncated: 'Only the first 1,000 errors are listed.',
  },
  tree: {
    title: 'Location tree', hint: 'Drag a location onto another to move it with its subtree, or use its “Move under” list.',
    root: '(top level)', moveUnder: 'Move under', move: 'Move', moved: '“{name}” moved.',
  },
  chart: { table: 'table', label: 'Day', value: 'Value', summary: '{title}: {n} bars, highest {max}' },
  bulk: {
    title: 'Selected assets', selected: '{n} selected', clear: 'Clear selection', labels: 'Print labels', setStatus: 'Set status',
    applyStatus: 'Apply status', moveTo: 'Move to', applyMove: 'Move', moved: 'moved', results: 'Results', select: 'Select',
    selectPage: 'Select every asset on this page',
  },
  labels: {
    title: 'Asset labels', back: 'Assets', sheet: 'Sheet', print: 'Print', none: 'No assets selected: select them in the asset list.',
    count: '{n} labels on {p} page(s)', page: 'Label sheet page',
  },
  inv: {
    title: 'Inventory sessions', new: 'New session', location: 'Location', started: 'Started', closed: 'Closed', session: 'Inventory',
    scan: 'Scan', counts: 'Counts', start: 'Start (snapshot the expected assets)', close: 'Close', cancel: 'Cancel session',
    applyMoves: 'Move found assets to where they were scanned', confirmCancel: 'Cancel this session? Its scans are kept but it cannot continue.',
    report: 'Report', code: 'Asset code', serial: 'Serial', expectedAt: 'Expected at', scannedAt: 'Scanned at', when: 'When',
    scanLocation: 'Scanning at', scanButton: 'Record scan', codeRequired: 'Scan or type an asset code.', duplicate: 'already scanned here',
    ready: 'Ready: scan a barcode (code + Enter).', notInProgress: 'Scans are accepted only while the session is in progress.',
    lastScans: 'Last scans', csv: 'Download CSV',
    status: { total: 'expected + scanned', found: 'found', moved: 'moved', missing: 'missing', unknown: 'unknown code' },
  },
  wf: {
    title: 'Requests', mine: 'My requests', toApprove: 'To approve', toExecute: 'Approved, to execute', new: 'New request',
    type: 'Type', assetCode: 'Asset code', asset: 'Asset', open: 'open', toLocation: 'Move to', assigneeType: 'Assignee type',
    assigneeId: 'Assignee id', assigneeName: 'Assignee name', note: 'Note', submit: 'Submit request', details: 'Details',
    reason: 'Reason for the rejection (optional)', nothingToApprove: 'Nothing waits for your approval.',
    actions: { approve: 'Approve', reject: 'Reject', execute: 'Execute', cancel: 'Cancel' },
  },
  tickets: {
    title: 'Maintenance tickets', open: 'Open ticket', openTitle: 'Open a ticket', titleField: 'Title', severity: 'Severity', opened: 'Opened', closed: 'Closed',
    resolution: 'Resolution (optional)', to: { in_progress: 'Start work', closed: 'Close', canceled: 'Cancel' },
  },
  rem: {
    title: 'Reminders', run: 'Check now', ranText: 'New reminders: {w} warranty, {m} maintenance.', none: 'No reminders.',
    unread: 'Read state', unreadOnly: 'unread', readOnly: 'read', type: 'Type', due: 'Due', channel: 'Channel', unreadMark: 'unread',
    markRead: 'Mark read', types: { warranty_expiring: 'Warranty expiring', maintenance_due: 'Maintenance due' },
  },
  ro: {
    title: 'Repair orders', new: 'New repair order', code: 'Code', repairType: 'Repair type', laborCost: 'Labour cost',
    partsCost: 'Parts cost', total: 'Total cost', description: 'Description', transitions: 'Status changes', to: '→',
    parts: 'Parts', noParts: 'No parts yet.', addPart: 'Add part', partName: 'Non-stocked part name',
    stockedHint: 'A stocked part is issued from the warehouse at once.', nonStockedHint: 'Instead of a stocked part.',
    action: 'Action', returned: 'returned', returnPart: 'Return to stock',
  },
  wh: {
    title: 'Warehouse', stock: 'Stock', documents: 'Documents', movements: 'Ledger', reports: 'Reports', setup: 'Warehouses & parts',
    warehouse: 'Warehouse', warehouses: 'Warehouses', part: 'Part', parts: 'Spare parts', partCode: 'Part code', uom: 'Unit',
    manufacturer: 'Manufacturer', onHand: 'On hand', reserved: 'Reserved', available: 'Available', minLevel: 'Minimum',
    belowMin: 'below minimum', belowMinOnly: 'Only below minimum', avgCost: 'Average cost', value: 'Value', code: 'Code',
    docType: 'Type', docDate: 'Date', posted: 'Posted', reversed: 'reversed', reversal: 'reversal', newDoc: 'New document',
    createDraft: 'Create draft', target: 'Target warehouse', document: 'Document', reversalOf: 'Reverses', reversedBy: 'Reversed by',
    lines: 'Lines', noLines: 'No lines yet.', addLine: 'Add line', qty: 'Quantity', unitCost: 'Unit cost', direction: 'Direction',
    post: 'Post', reverse: 'Reverse', postedOk: 'Posted: the stock has changed.',
    confirm: { reverse: 'Reverse this document? A new posted document undoes its movements.', cancel: 'Cancel this draft?' },
    movementType: 'Movement', ref: 'Reference', exportCsv: 'Export CSV', loadMore: 'Load more', reorder: 'Reorder',
    shortage: 'Shortage', neverStocked: 'never stocked', nothingToReorder: 'Nothing to reorder.', valuation: 'Valuation', total: 'Total value',
    newWarehouse: 'New warehouse', newPart: 'New spare part',
  },
  cmdb: {
    title: 'CMDB', cis: 'Configuration items', services: 'Services', code: 'Code', type: 'Type', environment: 'Environment',
    ownerTeam: 'Owner team', newCi: 'New CI', relationships: 'Relationships', noRels: 'No relationships.', from: 'From (depends)',
    to: 'To (depended on)', relType: 'Relationship', relDirection: 'Direction', dependsOn: 'this CI depends on…',
    dependedOnBy: '… depends on this CI', otherCi: 'Other CI code', noSuchCi: 'no CI has this code', addRel: 'Add relationship',
    retire: 'Retire', views: 'Graph and impact', graph: 'Graph', impact: 'Impact', depth: 'Depth', direction: 'Direction',
    upstream: 'upstream (what depends on it)', downstream: 'downstream (what it depends on)', both: 'both',
    impactTitle: 'If {code} goes down', affectedServices: 'Affected services (most critical first)', affectedCis: 'Affected CIs',
    noServices: 'No service is affected.', nothingAffected: 'Nothing depends on this CI.', criticality: 'Criticality',
    distance: 'Distance', via: 'Via', path: 'Path', impactCol: 'Impact', openWork: 'Open tickets / repairs',
    graphOf: 'Relationship graph of {code}', graphTable: 'Graph as a table', newService: 'New service', owner: 'Owner',
    health: 'Health', members: 'Members', role: 'Role', ciCode: 'CI code', addMember: 'Add member', removeMember: 'Remove',
  },
} as const;
