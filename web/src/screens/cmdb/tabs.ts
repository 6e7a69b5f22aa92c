import { s } from '../../lib/i18n';
export const cmdbTabs = [
  { href: '/cmdb/cis', label: s.cmdb.cis },
  { href: '/cmdb/services', label: s.cmdb.services },
];
