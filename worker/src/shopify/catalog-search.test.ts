import { describe, expect, it } from 'vitest';
import { catalogFloor, dequantise, fuseIds, quantise, unit, VectorMatrix } from './catalog-search';

describe('catalog search by meaning (pure part)', () => {
  it('keeps int8 vectors within a rounding of the original direction', () => {
    const v = unit(Array.from({ length: 384 }, (_, i) => Math.sin(i * 1.7) + (i % 5) * 0.1));
    const { scale, bytes } = quantise(v);
    expect(bytes.byteLength).toBe(384);
    const back = dequantise(scale, bytes);
    const cos = back.reduce((s, x, i) => s + x * v[i]!, 0);
    expect(cos).toBeGreaterThan(0.999);
  });

  it('scores per item, and its floor follows the store’s own vectors, not one scale', () => {
    const rows = [{ kind: 'product' as const, ref: 'a' }, { kind: 'product' as const, ref: 'b' }, { kind: 'passage' as const, ref: '1' }];
    const m = new VectorMatrix(rows, [unit([1, 0, 0]), unit([0, 1, 0]), unit([0, 0, 1])]);
    expect(m.scores([1, 0.1, 0], 'product').map((s) => s.ref)).toEqual(['a', 'b']);
    expect(m.scores([1, 0], 'product')).toEqual([]); // another dimension never matches
    const probes = [[0.5, 0.5, 0.5]];
    expect(catalogFloor(m, probes, 0.1)).toBeCloseTo(1 / Math.sqrt(3) + 0.1, 5);
  });

  it('fuses keyword and meaning, admitting meaning-only hits above the floor only', () => {
    const hits = [
      { kind: 'product' as const, ref: 'x', score: 0.9 },
      { kind: 'product' as const, ref: 'y', score: 0.3 },
    ];
    expect(fuseIds(['k'], hits, 0.5, 4)).toEqual(expect.arrayContaining(['k', 'x']));
    expect(fuseIds(['k'], hits, 0.5, 4)).not.toContain('y');
    expect(fuseIds([], hits, 0.95, 4)).toEqual([]);
    expect(fuseIds(['x', 'k'], hits, 0.5, 4)[0]).toBe('x');
  });
});
