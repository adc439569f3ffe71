/**
 * A seeded generator of floats in [0, 1) (mulberry32): tests and the bench draw the same "random" data
 * on every run, so a failure or a timing can be reproduced.
 */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random unit vector drawn from `rand`: the benches' synthetic embeddings. */
export function unitVector(rand: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) { v[i] = rand() - 0.5; n += v[i]! * v[i]!; }
  n = Math.sqrt(n);
  for (let i = 0; i < dims; i++) v[i]! /= n;
  return v;
}
