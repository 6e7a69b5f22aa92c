// Decimal money without float arithmetic: amounts as BigInt nano-dollars (9 decimals), strings out.
const SCALE = 9;
function toNano(v: string | number | null | undefined): bigint {
  if (v === null || v === undefined || v === '') return 0n;
  const str = String(v).trim();
  const neg = str.startsWith('-');
  const [i, f = ''] = str.replace(/^[-+]/, '').split('.');
  const n = BigInt(i || '0') * 10n ** BigInt(SCALE) + BigInt((f + '0'.repeat(SCALE)).slice(0, SCALE) || '0');
  return neg ? -n : n;
}
function fromNano(n: bigint, decimals = 6): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const unit = 10n ** BigInt(SCALE);
  const frac = (a % unit).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${a / unit}.${frac}`;
}
// Cost of a call at per-1k-token prices: (prompt × in + completion × out) / 1000.
export function costOf(prompt: number, completion: number, per1kIn?: string | null, per1kOut?: string | null): string {
  const n = (BigInt(prompt) * toNano(per1kIn) + BigInt(completion) * toNano(per1kOut)) / 1000n;
  return fromNano(n);
}
export function addMoney(a: string | null | undefined, b: string | null | undefined): string {
  return fromNano(toNano(a) + toNano(b));
}
