import { describe, expect, it } from 'vitest';
import { normaliseAvailability } from './availability';
import { parseCurrency, parsePrice } from './price-text';

describe('parsePrice', () => {
  it.each([
    ['119.01', 119.01],
    ['56,00 €', 56],
    ['$15', 15],
    ['1.299,00', 1299],
    ['1,299.50', 1299.5],
    ['71,91 € 79,90 €', 71.91],
    ['30,000원~', 30000],
    ['{}', null],
    ['', null],
  ])('%s → %s', (raw, want) => expect(parsePrice(raw)).toBe(want));
});

describe('parseCurrency and availability', () => {
  it('reads codes and symbols', () => {
    expect(parseCurrency('eur')).toBe('EUR');
    expect(parseCurrency('£')).toBe('GBP');
    expect(parseCurrency('$')).toBeNull();
  });
  it('names availability as schema.org does', () => {
    expect(normaliseAvailability('http://schema.org/InStock')).toBe('InStock');
    expect(normaliseAvailability('in stock')).toBe('InStock');
    expect(normaliseAvailability('https://schema.org/OutOfStock')).toBe('OutOfStock');
    expect(normaliseAvailability('NOT SOLD')).toBe('NOT SOLD');
    expect(normaliseAvailability(false)).toBe('OutOfStock');
  });
});
