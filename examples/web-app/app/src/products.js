/** The products the page lists, prices in cents. */
export const PRODUCTS = [
  { name: 'Pipeline stickers', cents: 499 },
  { name: 'Build-light lamp', cents: 3450 },
  { name: 'Approval rubber stamp', cents: 1200 },
];
