import type { PriceObservation, ProductRecord } from '@shared/schemas/products';
import type { ProductGroup } from '../memory/product-grouping';

/**
 * What the Products tab shows, computed from the records: per group its cheapest current price, the
 * price history per store, and the compare table of chosen groups with specs aligned by name.
 */

export interface PriceSeries {
  label: string;
  points: { at: number; price: number }[];
}

export function priceSeries(group: ProductGroup, observations: readonly PriceObservation[]): PriceSeries[] {
  return group.products
    .map((p) => ({
      label: p.storeName ?? p.storeDomain,
      points: observations.filter((o) => o.productId === p.id).map((o) => ({ at: o.seenAt, price: o.price })),
    }))
    .filter((s) => s.points.length > 0);
}

/** The store offering the group's lowest current price (records in one currency only are compared). */
export function cheapest(group: ProductGroup): ProductRecord | null {
  const priced = group.products.filter((p) => p.price !== null);
  const currency = priced[0]?.currency ?? null;
  return priced.filter((p) => p.currency === currency).sort((a, b) => a.price! - b.price!)[0] ?? null;
}

const specKey = (name: string) => name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

export interface CompareRow {
  name: string;
  values: string[];
}

/** Rows: price, brand, rating, availability, stores, then every spec any chosen product has, aligned
 * by its case- and separator-insensitive name (the first spelling seen is shown). */
export function compareRows(groups: readonly ProductGroup[], format: (p: ProductRecord) => string): CompareRow[] {
  const heads = groups.map((g) => cheapest(g) ?? g.products[0]!);
  const rows: CompareRow[] = [
    { name: 'Price', values: heads.map(format) },
    { name: 'Brand', values: heads.map((p) => p.brand ?? '') },
    { name: 'Rating', values: heads.map((p) => (p.rating !== null ? `${p.rating}${p.reviewCount !== null ? ` (${p.reviewCount})` : ''}` : '')) },
    { name: 'Availability', values: heads.map((p) => p.availability ?? '') },
    { name: 'Stores', values: groups.map((g) => [...new Set(g.products.map((p) => p.storeName ?? p.storeDomain))].join(', ')) },
  ];
  const names = new Map<string, string>();
  for (const g of groups) for (const p of g.products) for (const s of p.specs) if (!names.has(specKey(s.name))) names.set(specKey(s.name), s.name);
  for (const [key, name] of names) {
    rows.push({ name, values: groups.map((g) => g.products.flatMap((p) => p.specs).find((s) => specKey(s.name) === key)?.value ?? '') });
  }
  return rows;
}
