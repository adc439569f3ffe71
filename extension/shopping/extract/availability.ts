/**
 * Availability as schema.org names it (https://schema.org/ItemAvailability). Pages write the URL
 * ("http://schema.org/InStock"), the bare name, or words ("in stock", "instock", "out of stock"):
 * those become the schema.org name; anything else is kept as the page wrote it.
 */

const NAMES = [
  'InStock',
  'OutOfStock',
  'SoldOut',
  'PreOrder',
  'PreSale',
  'BackOrder',
  'Discontinued',
  'LimitedAvailability',
  'InStoreOnly',
  'OnlineOnly',
  'MadeToOrder',
  'Reserved',
] as const;

const BY_KEY = new Map<string, string>(NAMES.map((n) => [n.toLowerCase(), n]));
BY_KEY.set('available', 'InStock');
BY_KEY.set('availablefororder', 'InStock');
BY_KEY.set('unavailable', 'OutOfStock');
BY_KEY.set('preorder', 'PreOrder');
BY_KEY.set('pending', 'PreOrder');

/** Letters only, lower case: "http://schema.org/InStock" → "instock", "in stock" → "instock". */
export function availabilityKey(raw: string): string {
  const last = raw.trim().split(/[/#:]/).pop() ?? '';
  return last.toLowerCase().replace(/[^a-z]/g, '');
}

export function normaliseAvailability(raw: string | boolean | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean') return raw ? 'InStock' : 'OutOfStock';
  const t = raw.trim();
  if (!t) return null;
  return BY_KEY.get(availabilityKey(t)) ?? t.slice(0, 64);
}
