import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtractedProduct, type ExtractedProductInput, type ProductRecord } from '@shared/schemas/products';
import { Change } from '@shared/schemas/sync';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { productSeen } from '../register-background';
import { groupProducts, sameProduct } from './product-grouping';
import { deleteEverything, deleteSite } from '@/data-erase/erase';
import { badgeOffSites, listObservations, listProducts, saveProductVisit, setBadgeOff } from './product-repository';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('shopping');
});
afterEach(() => dropTestDb(db));

const DAY = 86_400_000;
const kettle = (over: Partial<ExtractedProductInput> = {}) =>
  ExtractedProduct.parse({ name: 'Brewco Steel Kettle 1.7 L', brand: 'Brewco', gtin: '4006381333931', price: 30, currency: 'EUR', storeDomain: 'a.example', url: 'https://a.example/kettle', sources: ['json-ld'], ...over });

describe('product memory', () => {
  it('saves the product and one price observation per visit through the change log', async () => {
    await saveProductVisit(kettle(), 1_000, db);
    await saveProductVisit(kettle(), 2_000, db); // a reload a second later: same observation
    await saveProductVisit(kettle({ price: 28 }), 3_000, db);
    const [product] = await listProducts(db);
    expect(product).toMatchObject({ visitCount: 3, firstSeenAt: 1_000, lastSeenAt: 3_000, price: 28 });
    expect((await listObservations(db)).map((o) => o.price)).toEqual([30, 28]);
    const log = await changesSince(0, 100, db);
    expect(log.map((c) => c.table)).toEqual(['products', 'priceObservations', 'products', 'products', 'priceObservations']);
    // What the sync outbox would push is a valid change of the new kinds.
    const p = await db.products.get(log[0]!.key);
    expect(Change.safeParse({ op: 'put', kind: 'product', key: p!.id, hlc: '001764072000000-00000-device1', data: p }).success).toBe(true);
  });

  it('flags the same product seen cheaper on another store, and stays quiet where the badge is off', async () => {
    await saveProductVisit(kettle({ storeDomain: 'cheap.example', storeName: 'Cheap Shop', url: 'https://cheap.example/k', price: 18 }), 0, db);
    const answer = await productSeen({ product: kettle() }, undefined, { db, now: () => 3 * DAY });
    expect(answer.recorded).toBe(true);
    expect(answer.insight).toMatchObject({ kind: 'cheaper-elsewhere', price: 18, storeDomain: 'cheap.example' });
    expect(answer.insight?.text).toBe('You saw this for €12.00 less at Cheap Shop 3 days ago');
    await setBadgeOff('a.example', true, db);
    expect(await badgeOffSites(db)).toEqual(['a.example']);
    expect((await productSeen({ product: kettle() }, undefined, { db, now: () => 3 * DAY })).insight).toBeNull();
  });

  it('counts similar products looked at', async () => {
    for (const [i, name] of ['Brewco Glass Kettle', 'Brewco Travel Kettle', 'Brewco Gooseneck Kettle'].entries())
      await saveProductVisit(kettle({ name, gtin: null, url: `https://b.example/${i}`, storeDomain: 'b.example' }), i, db);
    const answer = await productSeen({ product: kettle() }, undefined, { db, now: () => 10 });
    expect(answer.insight).toMatchObject({ kind: 'similar-seen', count: 3 });
  });
});

describe('grouping across stores', () => {
  const rec = (over: Partial<ProductRecord>): ProductRecord => ({ ...kettle(), id: `id_${Math.random().toString(36).slice(2, 10)}`, firstSeenAt: 0, lastSeenAt: 0, visitCount: 1, updatedAt: 0, ...over });

  it('groups by GTIN (leading zeros ignored), MPN, brand + model, then by name', () => {
    expect(sameProduct(rec({ gtin: '0012345678905' }), rec({ gtin: '012345678905' }))).toBe(true);
    expect(sameProduct(rec({ gtin: '4006381333931' }), rec({ gtin: '4006381333932' }))).toBe(false);
    expect(sameProduct(rec({ gtin: null, mpn: 'K-100' }), rec({ gtin: null, mpn: 'k-100', name: 'Other words' }))).toBe(true);
    expect(sameProduct(rec({ gtin: null, model: 'X1' }), rec({ gtin: null, model: 'X1', name: 'Completely different' }))).toBe(true);
    expect(sameProduct(rec({ gtin: null, name: 'Brewco Steel Kettle 1.7 L Silver' }), rec({ gtin: null, name: 'Steel Kettle 1.7 L silver', storeName: 'Shop' }))).toBe(true);
    expect(sameProduct(rec({ gtin: null, name: 'Brewco Steel Kettle' }), rec({ gtin: null, name: 'Brewco Toaster 2 slice' }))).toBe(false);
    // A store's longer wording of the same item is one product (the measured threshold is low, as
    // listings add words); one shared word (the category) is not enough.
    expect(sameProduct(rec({ gtin: null, name: 'MÖCKELBY Table - oak 235x100 cm' }), rec({ gtin: null, brand: null, name: 'MÖCKELBY oak, Table, Length: 235 cm, dining' }))).toBe(true);
    expect(sameProduct(rec({ gtin: null, name: 'Brewco Glass Kettle' }), rec({ gtin: null, name: 'Brewco Steel Kettle 1.7 L' }))).toBe(false);
    expect(sameProduct(rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Brewco' }), rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Kettleco' }))).toBe(false);
    // A brand written inside a longer label (a store's "See more of the brand: Brewco") still agrees;
    // a brand that only shares part of a word does not.
    expect(sameProduct(rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Ver mais artigos da Marca: Brewco' }), rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Brewco' }))).toBe(true);
    expect(sameProduct(rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Brewcorp' }), rec({ gtin: null, name: 'Steel Kettle 1.7 L', brand: 'Brewco' }))).toBe(false);
    const groups = groupProducts([rec({ lastSeenAt: 2 }), rec({ lastSeenAt: 1, storeDomain: 'b.example' }), rec({ gtin: null, name: 'Toaster', lastSeenAt: 3 })]);
    expect(groups.map((g) => g.products.length)).toEqual([1, 2]);
  });
});

describe('erasing', () => {
  it('forgets a site’s products and their price history with the site, and everything with everything', async () => {
    await saveProductVisit(kettle(), 1, db);
    await saveProductVisit(kettle({ storeDomain: 'b.example', url: 'https://b.example/k' }), 2, db);
    await deleteSite('a.example', db);
    expect((await listProducts(db)).map((p) => p.storeDomain)).toEqual(['b.example']);
    expect((await listObservations(db)).map((o) => o.storeDomain)).toEqual(['b.example']);
    await deleteEverything(db);
    expect(await listProducts(db)).toEqual([]);
    expect(await listObservations(db)).toEqual([]);
  });
});
