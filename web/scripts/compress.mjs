// Writes <file>.gz and <file>.br beside every compressible file of build/web/ (served precompressed by the
// gateway) and prints the gzipped size of what index.html loads first (the budget: <= 200 KB).
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const out = new URL('../../build/web/', import.meta.url).pathname;
const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.webmanifest']);
const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const gz = new Map();
for (const f of walk(out)) {
  if (!compressible.has(extname(f))) continue;
  const data = readFileSync(f);
  const g = gzipSync(data, { level: 9 });
  gz.set(f.slice(out.length), g.length);
  if (g.length < data.length) writeFileSync(f + '.gz', g);
  const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  if (b.length < data.length) writeFileSync(f + '.br', b);
}
const index = readFileSync(join(out, 'index.html'), 'utf8');
const initial = ['index.html', ...[...index.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1])];
const total = initial.reduce((s, f) => s + (gz.get(f) ?? 0), 0);
console.log(`initial load (${initial.join(', ')}): ${(total / 1024).toFixed(1)} KB gzipped`);
if (total > 200 * 1024) {
  console.error('the initial JS + CSS exceed the 200 KB gzipped budget');
  process.exit(1);
}
