// Vector top-k kernel: int8 dot products over a flat row-major matrix, then top-k by a bounded min-heap.
//
// The JS side owns the memory layout (see extension/search/topk-kernel.ts): it writes the matrix, the
// per-row scales, an optional per-row mask and the int8 query into this module's memory and passes
// their byte offsets. Nothing here allocates, so the module runs with the stub runtime and no GC.
//
// Scores are dot(q, row) * rowScale (the query's own scale is the same for every row, so the caller
// multiplies it in if it wants true cosines). Ties keep the lower row index, like the JS reference.
import { offer, sortBestFirst } from './heap';

/** Dot product of two int8 vectors of `dims` values (dims need not be a multiple of 16). */
@inline
function dotI8(a: usize, b: usize, dims: i32): i32 {
  let acc = i32x4.splat(0);
  let i = 0;
  const simdEnd = dims & ~15;
  for (; i < simdEnd; i += 16) {
    const va = v128.load(a + <usize>i);
    const vb = v128.load(b + <usize>i);
    // Widen each half to i16, multiply-add pairs into i32 lanes: no overflow for 512-d (127*127*512 < 2^31).
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(va), i16x8.extend_low_i8x16_s(vb)));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(va), i16x8.extend_high_i8x16_s(vb)));
  }
  let sum = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < dims; i++) {
    sum += <i32>load<i8>(a + <usize>i) * <i32>load<i8>(b + <usize>i);
  }
  return sum;
}

/**
 * Scores rows [0, n) of the matrix at `matrix` (n × dims int8) against the query at `query`, keeps the
 * best k in (outScores, outRows), sorted best first, and returns how many it kept (≤ k). When `mask` is
 * not 0 it points at n bytes; rows whose byte is 0 are skipped.
 */
export function topK(matrix: usize, scales: usize, mask: usize, n: i32, dims: i32, query: usize, k: i32, outScores: usize, outRows: usize): i32 {
  if (k <= 0) return 0;
  let size = 0;
  for (let row = 0; row < n; row++) {
    if (mask != 0 && load<u8>(mask + <usize>row) == 0) continue;
    const score = <f32>dotI8(matrix + <usize>row * <usize>dims, query, dims) * load<f32>(scales + (<usize>row << 2));
    size = offer(outScores, outRows, size, k, score, row);
  }
  sortBestFirst(outScores, outRows, size);
  return size;
}

/** Dot products of every row with the query into `out` (n f32), for callers that fuse all scores. */
export function scoreAll(matrix: usize, scales: usize, n: i32, dims: i32, query: usize, out: usize): void {
  for (let row = 0; row < n; row++) {
    store<f32>(out + (<usize>row << 2), <f32>dotI8(matrix + <usize>row * <usize>dims, query, dims) * load<f32>(scales + (<usize>row << 2)));
  }
}
