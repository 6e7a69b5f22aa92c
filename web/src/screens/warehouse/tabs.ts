import { s } from '../../lib/i18n';
export const whTabs = [
  { href: '/warehouse/stock', label: s.wh.stock },
  { href: '/warehouse/documents', label: s.wh.documents },
  { href: '/warehouse/movements', label: s.wh.movements },
  { href: '/warehouse/reports', label: s.wh.reports },
  { href: '/warehouse/setup', label: s.wh.setup },
];
