// Binary-code scan: each row is the sign bits of a rotated vector (`rowBytes` bytes), and the query is
// looked up per 4-bit group of the code ("fast scan"): for each group p of four components, table p
// holds, for each of the 16 bit patterns, the quantised sum of the query's components whose bit is set
// (u8, ≤ 127). A row's integer score S = Σ_p table_p[nibble_p] then estimates Σ_{bit set} q_i, and
//
//   q·x ≈ (a·S + b)·factor + offset        (a, b, offset from the query; factor per row; see
//                                           extension/search/binary-codes.ts)
//
// Rows are stored in blocks of 16, byte j of the 16 rows side by side (16 bytes), so one SIMD swizzle
// looks up the same group of 16 rows at once: no popcount and no per-row horizontal sum. 64 bytes a
// 512-d row (plus the factor): an eighth of the int8 matrix's bytes. The best k estimates are kept
// (candidates the caller rescores with int8 vectors). Ties keep the lower row, like the JS reference.
import { offer, sortBestFirst } from './heap';

export function scanCodes(codes: usize, factors: usize, mask: usize, n: i32, rowBytes: i32, tables: usize, a: f32, b: f32, offset: f32, k: i32, scratch: usize, outScores: usize, outRows: usize): i32 {
  if (k <= 0) return 0;
  let size = 0;
  const lowNibble = i8x16.splat(0x0f);
  const lowByte = i16x8.splat(0x00ff);
  const blocks = (n + 15) >> 4;
  const blockBytes = <usize>(rowBytes << 4);
  for (let blk = 0; blk < blocks; blk++) {
    const base = codes + <usize>blk * blockBytes;
    let even = i16x8.splat(0);
    let odd = i16x8.splat(0);
    for (let j = 0; j < rowBytes; j++) {
      const c = v128.load(base + (<usize>j << 4));
      const t = tables + (<usize>j << 5);
      // Each lookup ≤ 127, so their sum fits a byte; the bytes of even and odd rows widen to u16 lanes.
      const r = i8x16.add(i8x16.swizzle(v128.load(t), v128.and(c, lowNibble)), i8x16.swizzle(v128.load(t, 16), i8x16.shr_u(c, 4)));
      even = i16x8.add(even, v128.and(r, lowByte));
      odd = i16x8.add(odd, i16x8.shr_u(r, 8));
    }
    const first = blk << 4;
    // Once k estimates are kept, a row enters only above the worst of them (an equal score loses: its
    // row is higher). The block's 16 estimates are computed four at a time with the scalar steps' f32
    // operations in the same order (identical values); most blocks then have none above and are skipped.
    if (size == k) {
      const fb = factors + (<usize>first << 2);
      const f0 = v128.load(fb);
      const f1 = v128.load(fb, 16);
      const f2 = v128.load(fb, 32);
      const f3 = v128.load(fb, 48);
      const va = f32x4.splat(a);
      const vb = f32x4.splat(b);
      const vo = f32x4.splat(offset);
      const worst = f32x4.splat(load<f32>(outScores));
      // even holds rows 0, 2, …, 14 and odd rows 1, 3, …, 15 (u16 lanes).
      const e0 = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(va, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(even))), vb), v128.shuffle<i32>(f0, f1, 0, 2, 4, 6)), vo);
      const e1 = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(va, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(even))), vb), v128.shuffle<i32>(f2, f3, 0, 2, 4, 6)), vo);
      const o0 = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(va, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(odd))), vb), v128.shuffle<i32>(f0, f1, 1, 3, 5, 7)), vo);
      const o1 = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(va, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(odd))), vb), v128.shuffle<i32>(f2, f3, 1, 3, 5, 7)), vo);
      const above = v128.or(v128.or(f32x4.gt(e0, worst), f32x4.gt(e1, worst)), v128.or(f32x4.gt(o0, worst), f32x4.gt(o1, worst)));
      if (!v128.any_true(above)) continue;
    }
    v128.store(scratch, even);
    v128.store(scratch, odd, 16);
    const last = min(first + 16, n);
    for (let row = first; row < last; row++) {
      if (mask != 0 && load<u8>(mask + <usize>row) == 0) continue;
      const lane = row & 15;
      const s = <f32>load<u16>(scratch + (<usize>(lane & 1) << 4) + (<usize>(lane >> 1) << 1));
      const score: f32 = (a * s + b) * load<f32>(factors + (<usize>row << 2)) + offset;
      size = offer(outScores, outRows, size, k, score, row);
    }
  }
  sortBestFirst(outScores, outRows, size);
  return size;
}
