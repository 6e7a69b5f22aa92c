// QR codes for the label sheets: uqr (pinned, ~8 KB gzipped) loaded on demand with a dynamic import, so it is
// a chunk of its own fetched only when a sheet of QR labels is shown (never in the initial bundle).
// A code becomes horizontal runs of dark modules (x, y, w in module units) — few SVG rects, no inline style.
export interface QrRuns { size: number; runs: Array<{ x: number; y: number; w: number }> }

export async function qrRuns(text: string): Promise<QrRuns> {
  const { encode } = await import('uqr');
  const q = encode(text, { ecc: 'M', border: 0 });
  const runs: QrRuns['runs'] = [];
  q.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) { x++; continue; }
      const start = x;
      while (x < row.length && row[x]) x++;
      runs.push({ x: start, y, w: x - start });
    }
  });
  return { size: q.size, runs };
}
