// Plain form/filter field descriptions shared by Form.svelte, ListScreen.svelte and DataTable.svelte.
export type Option = string | { value: string; label: string };
export interface FieldSpec {
  key: string;
  label: string;
  type?: 'text' | 'number' | 'select' | 'date' | 'datetime' | 'textarea' | 'checkbox' | 'password' | 'email';
  options?: Option[];
  required?: boolean;
  hint?: string;
  placeholder?: string;
  wide?: boolean;
  step?: string;
}
export interface Col {
  label: string;
  key?: string;
  value?: (row: any) => string | number | null | undefined;
  href?: (row: any) => string | null;
  code?: boolean;
  cls?: (row: any) => string | undefined;
}
export const optValue = (o: Option) => (typeof o === 'string' ? o : o.value);
export const optLabel = (o: Option) => (typeof o === 'string' ? o : o.label);

// A request body from form values: '' → omitted, number fields → numbers, checkbox → boolean.
export function bodyOf(fields: FieldSpec[], values: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'checkbox') out[f.key] = !!v;
    else if (v === '' || v === null || v === undefined) continue;
    else if (f.type === 'number') out[f.key] = typeof v === 'number' ? v : Number(v);
    else out[f.key] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

// A location as an option: indented by its depth in the tree (materialised path /<ids>/<own id>/).
export function locLabel(l: { name: string; path?: string | null; depth?: number | null }): string {
  const d = l.path ? Math.max(0, l.path.split('/').filter(Boolean).length - 1) : Math.max(0, (l.depth ?? 1) - 1);
  return '\u00a0\u00a0'.repeat(d) + l.name;
}
