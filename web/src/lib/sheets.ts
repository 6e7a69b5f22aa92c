// Label sheet sizes as data: page size, grid, label size and margins in millimetres (print CSS reads them).
export interface Sheet { id: string; name: string; page: 'A4' | 'Letter'; cols: number; rows: number; labelW: number; labelH: number; marginTop: number; marginLeft: number; gapX: number; gapY: number }
export const sheets: Sheet[] = [
  { id: 'a4-3x8', name: 'A4, 3 × 8 (70 × 36 mm)', page: 'A4', cols: 3, rows: 8, labelW: 70, labelH: 36, marginTop: 4.5, marginLeft: 0, gapX: 0, gapY: 0 },
  { id: 'a4-2x7', name: 'A4, 2 × 7 (99.1 × 38.1 mm)', page: 'A4', cols: 2, rows: 7, labelW: 99.1, labelH: 38.1, marginTop: 15.1, marginLeft: 4.65, gapX: 2.5, gapY: 0 },
  { id: 'letter-3x10', name: 'Letter, 3 × 10 (66.7 × 25.4 mm)', page: 'Letter', cols: 3, rows: 10, labelW: 66.7, labelH: 25.4, marginTop: 12.7, marginLeft: 4.8, gapX: 3.2, gapY: 0 },
];
