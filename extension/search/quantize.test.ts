import { describe, expect, it } from 'vitest';
import { componentErrorBound, dequantizeInt8, dotErrorBound, quantizeInt8 } from './quantize';
import { seededRandom } from '@/test-support/seeded-random';

/** Deterministic pseudo-random unit vectors (mulberry32 + Box–Muller) so failures reproduce. */
function unitVector(rand: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) {
    v[i] = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    n += v[i]! * v[i]!;
  }
  for (let i = 0; i < dims; i++) v[i]! /= Math.sqrt(n);
  return v;
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('quantizeInt8', () => {
  it('keeps every component within scale/2 and uses the full symmetric range', () => {
    const rand = seededRandom(1);
    for (let t = 0; t < 200; t++) {
      const v = unitVector(rand, 512);
      const { q, scale } = quantizeInt8(v);
      const back = dequantizeInt8(q, scale);
      let maxQ = 0;
      for (let i = 0; i < v.length; i++) {
        expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(componentErrorBound(scale) + 1e-7);
        maxQ = Math.max(maxQ, Math.abs(q[i]!));
      }
      expect(maxQ).toBe(127);
      expect(Math.min(...q)).toBeGreaterThanOrEqual(-127);
    }
  });

  it('keeps dot products within the analytic bound, and cosine error small in practice', () => {
    const rand = seededRandom(2);
    let worst = 0;
    for (let t = 0; t < 300; t++) {
      const a = unitVector(rand, 512);
      const b = unitVector(rand, 512);
      const qa = quantizeInt8(a);
      const qb = quantizeInt8(b);
      const ah = dequantizeInt8(qa.q, qa.scale);
      const approx = dot(qa.q, qb.q) * qa.scale * qb.scale;
      const err = Math.abs(approx - dot(a, b));
      expect(err).toBeLessThanOrEqual(dotErrorBound(512, qa.scale, 1, qb.scale, Math.sqrt(dot(ah, ah))) + 1e-6);
      worst = Math.max(worst, err);
    }
    // The bound is loose; real rounding errors cancel. 0.01 in cosine is far below ranking-relevant gaps.
    expect(worst).toBeLessThan(0.01);
  });

  it('maps a zero vector to zeros with scale 0 instead of NaN', () => {
    const { q, scale } = quantizeInt8(new Float32Array(8));
    expect(scale).toBe(0);
    expect([...q]).toEqual(new Array(8).fill(0));
  });
});
