import { describe, expect, it } from 'vitest';
import { analyze, analyzeTerm, tokenize } from './analyzer';

describe('analyzer', () => {
  it('stems variants to one term and drops stop words', () => {
    expect(analyzeTerm('Heated')).toBe(analyzeTerm('heating'));
    expect(analyzeTerm('wings')).toBe(analyzeTerm('wing'));
    expect(analyzeTerm('The')).toBeNull();
    expect(analyze("What are the pilot's heating problems?")).toEqual(['pilot', 'heat', 'problem']);
  });

  it('keeps numbers and codes intact and splits on punctuation, not inside words', () => {
    expect(analyze('Mach 2.5 flow at x15-B')).toEqual(['mach', '2', '5', 'flow', 'x15', 'b']);
    expect(tokenize('naïve café—résumé')).toEqual(['naïve', 'café', 'résumé']);
  });
});
