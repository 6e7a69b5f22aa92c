import { get, listOf, ApiError } from './api';
// An asset code (exact) → its id, through the list's search; a field error when nothing matches.
export async function assetIdByCode(code: string, field = 'assetId'): Promise<string> {
  const c = code.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(c)) return c;
  const rows = listOf<any>(await get(`/api/v1/assets?search=${encodeURIComponent(c)}&pageSize=20`));
  const hit = rows.find((a) => String(a.assetCode).toLowerCase() === c.toLowerCase());
  if (!hit) throw new ApiError(422, 'NOT_FOUND', `no asset has the code “${c}”`, null, { errors: [{ field, issue: `no asset has the code “${c}”` }] });
  return hit.id;
}
