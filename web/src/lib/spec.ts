// The spec-schema engine's field definitions (GET /api/v1/spec-versions/{id}) turned into form fields:
// input kind, client-side checks that mirror the server's (required, lengths, ranges, enum), and the JSON
// value the API expects. The server stays the judge: its `spec.<key>` errors are shown at the same field.
export interface SpecDef {
  key: string;
  label: string;
  fieldType: string;
  required?: boolean;
  unit?: string | null;
  helpText?: string | null;
  enumValues?: string[] | null;
  minLen?: number | null;
  maxLen?: number | null;
  minValue?: string | number | null;
  maxValue?: string | number | null;
  stepValue?: string | number | null;
  defaultValue?: unknown;
  isActive?: boolean;
  isReadonly?: boolean;
  sortOrder?: number;
}

// Number inputs bound with bind:value give numbers (or null when cleared).
export type FieldValue = string | number | boolean | string[] | null;

export function initialValue(d: SpecDef): FieldValue {
  if (d.fieldType === 'boolean') return d.defaultValue === true;
  if (d.fieldType === 'multi_enum') return Array.isArray(d.defaultValue) ? (d.defaultValue as string[]) : [];
  if (d.defaultValue === undefined || d.defaultValue === null) return '';
  return typeof d.defaultValue === 'object' ? JSON.stringify(d.defaultValue) : String(d.defaultValue);
}

export function inputType(d: SpecDef): string {
  switch (d.fieldType) {
    case 'number':
    case 'integer':
    case 'port':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime-local';
    case 'email':
      return 'email';
    case 'url':
      return 'url';
    default:
      return 'text';
  }
}

const empty = (v: FieldValue) => v === null || v === undefined || (Array.isArray(v) ? v.length === 0 : v === '');

// A message for the field, or null. Mirrors the server's rules that need no parsing library.
export function check(d: SpecDef, value: FieldValue): string | null {
  if (d.fieldType === 'boolean') return null;
  if (empty(value)) return d.required ? 'is required' : null;
  const v = typeof value === 'number' ? String(value) : value;
  if (typeof v === 'string') {
    if (d.minLen != null && v.length < d.minLen) return `must be at least ${d.minLen} characters`;
    if (d.maxLen != null && v.length > d.maxLen) return `must be at most ${d.maxLen} characters`;
    if (['number', 'integer', 'port'].includes(d.fieldType)) {
      const n = Number(v);
      if (!Number.isFinite(n)) return 'must be a number';
      if ((d.fieldType === 'integer' || d.fieldType === 'port') && !Number.isInteger(n)) return 'must be an integer';
      const min = d.minValue != null ? Number(d.minValue) : d.fieldType === 'port' ? 1 : null;
      const max = d.maxValue != null ? Number(d.maxValue) : d.fieldType === 'port' ? 65535 : null;
      if (min != null && n < min) return `must be at least ${min}`;
      if (max != null && n > max) return `must be at most ${max}`;
    }
    if (d.fieldType === 'enum' && d.enumValues && !d.enumValues.includes(v)) return `must be one of ${d.enumValues.join(', ')}`;
    if (d.fieldType === 'json') {
      try {
        JSON.parse(v);
      } catch {
        return 'must be JSON';
      }
    }
  }
  return null;
}

// The JSON value sent for a field; undefined leaves it out.
export function toJson(d: SpecDef, v: FieldValue): unknown {
  if (d.fieldType === 'boolean') return v === true;
  if (empty(v)) return undefined;
  if (Array.isArray(v)) return v;
  switch (d.fieldType) {
    case 'integer':
    case 'port':
    case 'number':
      return Number(v);
    case 'json':
      return JSON.parse(String(v));
    default:
      return String(v);
  }
}

// A version's definitions as FieldSpecs of a generic Form (CMDB CI attributes), keyed `<prefix><key>` so the
// server's `attributes.<key>` errors land at the field. multi_enum is a comma-separated text input there.
export function activeDefs(defs: SpecDef[]): SpecDef[] {
  return defs.filter((d) => d.isActive !== false && !d.isReadonly).sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
}
export function specFields(defs: SpecDef[], prefix: string): Array<import('./fields').FieldSpec> {
  return defs.map((d) => {
    const label = `${d.label}${d.unit ? ` (${d.unit})` : ''}`;
    const base = { key: prefix + d.key, label, required: d.required && d.fieldType !== 'boolean', hint: d.helpText ?? undefined };
    switch (d.fieldType) {
      case 'boolean':
        return { ...base, type: 'checkbox' as const };
      case 'enum':
        return { ...base, type: 'select' as const, options: d.enumValues ?? [] };
      case 'multi_enum':
        return { ...base, type: 'text' as const, hint: d.helpText ?? (d.enumValues ?? []).join(', ') };
      case 'integer':
      case 'port':
        return { ...base, type: 'number' as const, step: String(d.stepValue ?? 1) };
      case 'number':
        return { ...base, type: 'number' as const, step: d.stepValue != null ? String(d.stepValue) : 'any' };
      case 'date':
        return { ...base, type: 'date' as const };
      case 'datetime':
        return { ...base, type: 'datetime' as const };
      case 'json':
        return { ...base, type: 'textarea' as const, wide: true };
      default:
        return { ...base, type: (d.fieldType === 'email' ? 'email' : 'text') as 'email' | 'text' };
    }
  });
}
// The form values of specFields → {values for the API, client errors by field key} (the same checks as
// check(); a multi_enum's text split on commas).
export function specValues(defs: SpecDef[], values: Record<string, any>, prefix: string): { json: Record<string, unknown>; errors: Array<{ field: string; issue: string }> } {
  const json: Record<string, unknown> = {};
  const errors: Array<{ field: string; issue: string }> = [];
  for (const d of defs) {
    let v: FieldValue = values[prefix + d.key] ?? (d.fieldType === 'boolean' ? false : '');
    if (d.fieldType === 'multi_enum') {
      const list = String(v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const bad = list.filter((x) => d.enumValues && !d.enumValues.includes(x));
      if (bad.length) { errors.push({ field: prefix + d.key, issue: `must be among ${(d.enumValues ?? []).join(', ')}` }); continue; }
      if (!list.length && d.required) { errors.push({ field: prefix + d.key, issue: 'is required' }); continue; }
      v = list;
    }
    const m = check(d, v);
    if (m) { errors.push({ field: prefix + d.key, issue: m }); continue; }
    const out = toJson(d, v);
    if (out !== undefined && !(Array.isArray(out) && out.length === 0)) json[d.key] = out;
  }
  return { json, errors };
}
