/** Money is integer cents (MXN) everywhere; this is the only place it becomes "$1,234.50". */
const formatter = new Intl.NumberFormat('es-MX', {
  style: 'currency',
  currency: 'MXN',
  currencyDisplay: 'narrowSymbol',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

export function formatMoney(cents: number): string {
  return formatter.format(cents / 100);
}

/** Whole numbers with thousands separators, e.g. tokens: 20,000. */
export function formatInt(n: number): string {
  return new Intl.NumberFormat('es-MX', { maximumFractionDigits: 0 }).format(n);
}
