import { describe, expect, it } from 'vitest';
import { CitedSource } from '@shared/schemas/assistant';
import { ExtractedProduct, type ExtractedProductInput, type ProductRecord } from '@shared/schemas/products';
import { sourcesFor } from './retrieve-products';

let n = 0;
const rec = (over: Partial<ExtractedProductInput>): ProductRecord => ({
  ...ExtractedProduct.parse({ name: 'x', storeDomain: 'a.example', url: `https://a.example/${n}`, sources: ['json-ld'], ...over }),
  id: `product_${n++}`,
  firstSeenAt: 0,
  lastSeenAt: n,
  visitCount: 1,
  updatedAt: 0,
});

describe('retrieveProducts', () => {
  const products = [
    rec({ name: 'Aero Headphones', brand: 'Aero', specs: [{ name: 'Battery life', value: '30 h' }], price: 99, currency: 'EUR' }),
    rec({ name: 'Bolt Earbuds', brand: 'Bolt', specs: [{ name: 'Battery life', value: '8 h' }], price: 59, currency: 'EUR' }),
    rec({ name: 'Cedar Desk Lamp', brand: 'Cedar', specs: [{ name: 'Power', value: '9 W' }] }),
  ];

  it('cites the products whose specs answer the question, with the specs in the source text', () => {
    const sources = sourcesFor('which of these has the longest battery life?', products, []);
    // Equal matches come most recently seen first.
    expect(sources.map((s) => s.title)).toEqual(['Bolt Earbuds', 'Aero Headphones']);
    expect(sources[1]!.text).toContain('Battery life: 30 h');
    expect(sources[1]!.text).toContain('a.example: €99.00');
    for (const s of sources) expect(CitedSource.safeParse(s).success).toBe(true);
    expect(sources[1]!.detail).toBe('€99.00 at a.example');
  });

  it('names the lowest price, its store and the number of stores beside a product grouped across stores', () => {
    const dear = rec({ name: 'Brewco Kettle 1.7 L', brand: 'Brewco', gtin: '4006381333931', price: 45, currency: 'EUR' });
    const cheap = rec({ name: 'Brewco Kettle 1.7 L', brand: 'Brewco', gtin: '4006381333931', price: 39.5, currency: 'EUR', storeDomain: 'b.example', storeName: 'Shop B', url: 'https://b.example/k' });
    expect(sourcesFor('kettle', [dear, cheap], [])[0]!.detail).toBe('€39.50 at Shop B · 2 stores');
  });

  it('falls back to the products seen last when nothing matches', () => {
    expect(sourcesFor('zzz', products, []).map((s) => s.n)).toEqual([1, 2, 3]);
  });
});
