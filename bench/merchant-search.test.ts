import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../worker/src/shopify/catalog';
import { testDoubleVector } from '../worker/test/embeddings-test-double';
import { merchantLines, type Store } from './merchant-search';

function product(id: string, title: string, description: string): CatalogProduct {
  return { id, handle: id, title, vendor: '', productType: '', tags: [], description, image: null, variants: [{ id: '1', title: 'Default', price: 1, available: true, sku: null }] };
}

const stores: Store[] = [
  { name: 'coffee', split: 'fit', items: [
    { product: product('a', 'Burr Coffee Grinder', 'conical burrs for espresso'), question: 'do you have a burr grinder' },
    { product: product('b', 'Pour-over Coffee Maker', 'glass carafe, walnut'), question: 'do you have a pour-over maker' },
  ] },
  { name: 'garden', split: 'held-out', items: [
    { product: product('c', 'Garden Hose 25 m', 'reinforced hose with spray nozzle'), question: 'do you have a garden hose' },
    { product: product('d', 'Pruning Shears', 'bypass secateurs for roses'), question: 'do you have pruning shears' },
  ] },
];

describe('merchant bench', () => {
  it('reports own-store, other-store and nonsense rates per split, the cut-offs fitted on the fit stores only', async () => {
    const lines = await merchantLines(stores, async (texts) => texts.map((t) => Float32Array.from(testDoubleVector(t))), 'trigram');
    const calibrated = lines.filter((l) => l.cutoff === 'calibrated');
    expect(calibrated.map((l) => l.split)).toEqual(['fit', 'held-out']);
    for (const l of calibrated) {
      expect(l.questions).toEqual({ own: 2, other: 2, nonsense: 12 });
      expect(l.inStoreFoundTop4).toBe(1);
      expect(l.otherStoreAnswered).toBe(0);
    }
    // Given cut-offs are used as they are (how a second model is checked).
    const fixed = await merchantLines(stores, async (texts) => texts.map((t) => Float32Array.from(testDoubleVector(t))), 'trigram', { margin: 2, raw: 2 });
    expect(fixed.filter((l) => l.split).every((l) => l.inStoreAnswered === 0)).toBe(true);
  });
});
