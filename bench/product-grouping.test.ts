import { describe, expect, it } from 'vitest';
import { fitThreshold, quality, titleAsListing } from './product-grouping';

describe('product grouping bench', () => {
  it('takes the store off a page title, by its host label or its site name', () => {
    expect(titleAsListing('MÖCKELBY oak, Table, Length: 235 cm - IKEA', 'www.ikea.com', null)).toBe('MÖCKELBY oak, Table, Length: 235 cm');
    expect(titleAsListing('KÄRCHER Hochdruckreiniger »K 3 Full Control« | OTTO', 'www.otto.de', null)).toBe('KÄRCHER Hochdruckreiniger »K 3 Full Control«');
    expect(titleAsListing('Steel Kettle | Brew &amp; Co', 'shop.example', 'Brew & Co')).toBe('Steel Kettle');
    expect(titleAsListing('IKEA', 'www.ikea.com', null)).toBeNull();
  });

  it('fits the threshold with the best F0.5 and measures precision and recall at it', () => {
    const scored = [
      { same: true, score: 0.9 },
      { same: true, score: 0.5 },
      { same: false, score: 0.45 },
      { same: false, score: 0.2 },
      { same: true, score: 0.1 },
    ];
    const t = fitThreshold(scored);
    expect(t).toBeCloseTo(0.475, 3);
    expect(quality(scored, t)).toMatchObject({ precision: 1, recall: 0.667, same: 3, pairs: 5 });
    expect(quality(scored, 0)).toMatchObject({ precision: 0.6, recall: 1 });
  });
});
