/**
 * Symmetric int8 quantisation with one scale per vector: value[i] ≈ q[i] * scale, q[i] ∈ [-127, 127].
 *
 * Why per-vector: embeddings are L2-normalised but their largest component varies a lot between texts,
 * so a per-vector scale keeps ~7 bits for every vector. Rounding puts each component within scale / 2
 * of its true value; for a unit vector of d dims that bounds the dot-product error (see dotErrorBound).
 * -128 is never produced so the range is symmetric and negation is exact.
 */

export interface QuantizedVector {
  q: Int8Array;
  scale: number;
}

export function quantizeInt8(v: ArrayLike<number>, out: Int8Array = new Int8Array(v.length)): QuantizedVector {
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > max) max = a;
  }
  if (!(max > 0) || !Number.isFinite(max)) {
    out.fill(0);
    return { q: out, scale: 0 };
  }
  const scale = max / 127;
  const inv = 1 / scale;
  for (let i = 0; i < v.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round(v[i]! * inv)));
  return { q: out, scale };
}

export function dequantizeInt8(q: Int8Array, scale: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale;
  return out;
}

/** Largest possible per-component error of quantizeInt8 for a vector of this scale. */
export function componentErrorBound(scale: number): number {
  return scale / 2;
}

/**
 * Bound on |dot(a, b) − dot(â, b̂)| where â, b̂ are the dequantised vectors:
 * |a·b − â·b̂| ≤ |a−â|·|b| + |â|·|b−b̂| ≤ (sa/2)·√d·|b| + |â|·(sb/2)·√d (Cauchy–Schwarz).
 */
export function dotErrorBound(dims: number, scaleA: number, normB: number, scaleB: number, normAHat: number): number {
  const r = Math.sqrt(dims) / 2;
  return scaleA * r * normB + normAHat * scaleB * r;
}
