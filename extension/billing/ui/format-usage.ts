/** Human amounts for the usage bars: bytes in KB/MB/GB, counts as they are. */
export function formatAmount(value: number, unit: string): string {
  if (unit !== 'bytes') return value.toLocaleString('en');
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatPrice(cents: number, currency: string): string {
  if (cents === 0) return 'Free';
  return `${new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100)}/month`;
}
