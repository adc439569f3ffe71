import { BADGE_OFF_SITES_KEY, BadgeOffSites, PriceObservation, ProductRecord, type ExtractedProduct } from '@shared/schemas/products';
import { putRecords } from '@/db/change-log';
import { getDb, type CalicoDb } from '@/db/database';
import { normalizeUrl } from '@/capture/normalize-url';

/**
 * Products and their price history in the local database, written only through the change log (so
 * sync, the keyword index and every other consumer see them). One product record per normalised
 * product URL; one price observation per visit, except that a reload within REVISIT_MS at the same
 * price and stock is the same observation.
 */

export const REVISIT_MS = 10 * 60_000;

async function hashId(prefix: string, text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const b64 = btoa(String.fromCharCode(...digest.slice(0, 18)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `${prefix}${b64}`;
}

export function productIdFor(url: string): Promise<string> {
  return hashId('pr_', normalizeUrl(url) ?? url);
}

export interface SaveResult {
  product: ProductRecord;
  observation: PriceObservation | null;
}

export async function saveProductVisit(extracted: ExtractedProduct, now: number, db: CalicoDb = getDb()): Promise<SaveResult> {
  const url = normalizeUrl(extracted.url) ?? extracted.url;
  const id = await productIdFor(url);
  const existing = await db.products.get(id);
  const product = ProductRecord.parse({
    ...extracted,
    url,
    id,
    firstSeenAt: existing?.firstSeenAt ?? now,
    lastSeenAt: now,
    visitCount: (existing?.visitCount ?? 0) + 1,
    updatedAt: now,
  });
  let observation: PriceObservation | null = null;
  if (product.price !== null) {
    const last = (await db.priceObservations.where('productId').equals(id).sortBy('seenAt')).at(-1);
    const repeat = last && now - last.seenAt < REVISIT_MS && last.price === product.price && last.availability === product.availability;
    if (!repeat) {
      observation = PriceObservation.parse({
        id: await hashId('po_', `${id}|${now}|${product.price}`),
        productId: id,
        price: product.price,
        currency: product.currency,
        availability: product.availability,
        storeDomain: product.storeDomain,
        url,
        seenAt: now,
        updatedAt: now,
      });
    }
  }
  await putRecords('products', [product], db);
  if (observation) await putRecords('priceObservations', [observation], db);
  return { product, observation };
}

export function listProducts(db: CalicoDb = getDb()): Promise<ProductRecord[]> {
  return db.products.orderBy('lastSeenAt').reverse().toArray();
}

export function listObservations(db: CalicoDb = getDb()): Promise<PriceObservation[]> {
  return db.priceObservations.orderBy('seenAt').toArray();
}

export async function badgeOffSites(db: CalicoDb = getDb()): Promise<string[]> {
  const parsed = BadgeOffSites.safeParse((await db.settings.get(BADGE_OFF_SITES_KEY))?.value);
  return parsed.success ? parsed.data : [];
}

export async function setBadgeOff(site: string, off: boolean, db: CalicoDb = getDb()): Promise<string[]> {
  const current = await badgeOffSites(db);
  const next = off ? [...new Set([...current, site.toLowerCase()])] : current.filter((s) => s !== site.toLowerCase());
  await putRecords('settings', [{ key: BADGE_OFF_SITES_KEY, value: BadgeOffSites.parse(next), updatedAt: Date.now() }], db);
  return next;
}
