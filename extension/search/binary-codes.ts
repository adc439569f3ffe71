/**
 * One-bit codes of embeddings for the first pass of a vector search (RaBitQ-style): each vector is
 * rotated by a fixed randomised Hadamard transform, then kept as the signs of its components (d/8 bytes)
 * plus one float, its ‖x‖₂² / ‖x‖₁ after rotation. For a query q (rotated the same way) the dot product
 * q·x is estimated as (Σ q_i·sign(x_i)) · ‖x‖₂²/‖x‖₁, exact when every |x_i| is equal.
 *
 * Why rotate: embedding components are not alike (a few carry much of the norm, and the encoder gives
 * every text a share of one common direction), so raw signs waste bits; after a random orthogonal
 * rotation every component carries about the same share and the estimate's error is about the same for
 * every vector. A Hadamard transform with random signs (applied twice) costs d·log d, not d², so coding
 * a million vectors stays cheap. Rotation keeps dot products, so the rescore uses the unrotated int8.
 *
 * Why the query keeps more bits than the rows: the query is one vector per search, so it is kept at
 * ~7 bits (asymmetric distance): for every group of four code bits a 16-entry table holds the query's
 * partial sums, quantised to bytes, and the scan (wasm/assembly/binary.ts) adds one looked-up byte
 * per four components per row. With a 1-bit query (Hamming distance) recall fell sharply (measured in
 * bench/vector-recall.ts's first runs: random vectors at 10k, 400 candidates, 0.68 against 0.93 for a
 * 4-bit query).
 */

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Fixed ±1 signs from a small LCG: the rotation must be the same in every session that reads the codes. */
function signs(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s & 0x80000000 ? -1 : 1;
  }
  return out;
}

/** In-place fast Walsh–Hadamard transform, normalised (orthogonal); length a power of two. */
function fwht(v: Float32Array): void {
  const n = v.length;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = v[j]!, b = v[j + h]!;
        v[j] = a + b;
        v[j + h] = a - b;
      }
    }
  }
  const norm = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) v[i]! *= norm;
}

/** A query made ready for the code scan: estimate = (a·S + b)·factor + offset, S the table lookups' sum. */
export interface QueryTables {
  /** rowBytes × 32 bytes: for code byte j, 16 entries for its low nibble, then 16 for its high nibble. */
  tables: Uint8Array;
  a: number;
  b: number;
  /** The query's dot with the codes' centre (added to every estimate so they estimate q·x). */
  offset: number;
}

/** Largest table entry: two lookups a code byte must add up within a byte. */
const TABLE_MAX = 127;

export class BinaryCoder {
  /** Rotated length: the next power of two ≥ dims (the extra components start at 0). */
  readonly rotDims: number;
  /** Bytes of one code: rotDims / 8 rounded up to 16 (one SIMD word). */
  readonly rowBytes: number;
  private readonly d1: Float32Array;
  private readonly d2: Float32Array;
  private readonly work: Float32Array;

  /**
   * @param centre subtracted before coding (null: none). The sign of x − c keeps more information
   * than the sign of x when every vector shares a common direction c; q·c is added back to estimates.
   * @param rotate false only to measure what the rotation buys (bench/vector-recall.ts).
   */
  constructor(readonly dims: number, readonly centre: Float32Array | null = null, private readonly rotated = true) {
    if (centre && centre.length !== dims) throw new RangeError(`centre has ${centre.length} dims, coder has ${dims}`);
    this.rotDims = nextPow2(dims);
    this.rowBytes = Math.ceil(this.rotDims / 128) * 16;
    this.d1 = signs(this.rotDims, 0x9e3779b9);
    this.d2 = signs(this.rotDims, 0x7f4a7c15);
    this.work = new Float32Array(this.rotDims);
  }

  /** x·scale (minus the centre when `centred`) rotated, into this coder's work buffer (valid until the next call). */
  rotate(x: ArrayLike<number>, scale = 1, centred = true): Float32Array {
    const v = this.work;
    const c = centred ? this.centre : null;
    for (let i = 0; i < this.dims; i++) v[i] = x[i]! * scale - (c ? c[i]! : 0);
    v.fill(0, this.dims);
    if (!this.rotated) return v;
    for (let i = 0; i < v.length; i++) v[i]! *= this.d1[i]!;
    fwht(v);
    for (let i = 0; i < v.length; i++) v[i]! *= this.d2[i]!;
    fwht(v);
    return v;
  }

  /** Writes the sign code of x (each component times `scale`) into `out` (rowBytes) and returns its factor. */
  encode(x: ArrayLike<number>, out: Uint8Array, scale = 1): number {
    const v = this.rotate(x, scale);
    out.fill(0, 0, this.rowBytes);
    let l1 = 0, l2 = 0;
    for (let i = 0; i < v.length; i++) {
      const a = v[i]!;
      if (a > 0) out[i >> 3]! |= 1 << (i & 7);
      l1 += Math.abs(a);
      l2 += a * a;
    }
    return l1 > 0 ? l2 / l1 : 0;
  }

  /**
   * The query's lookup tables. Group p holds components 4p..4p+3 (the low or high nibble of code byte
   * p/2); entry v is Σ q_i over the bits set in v, less the group's least possible sum, so every entry
   * is ≥ 0; all groups share one step so the sum of looked-up bytes S maps back by one a and b.
   */
  queryTables(q: ArrayLike<number>, out?: Uint8Array): QueryTables {
    let offset = 0;
    if (this.centre) for (let i = 0; i < this.dims; i++) offset += q[i]! * this.centre[i]!;
    // The query itself is not centred: q·(x − c) + q·c = q·x.
    const v = this.rotate(q, 1, false);
    const groups = this.rowBytes * 2;
    let widest = 0, floor = 0, sumQ = 0;
    for (let p = 0; p < groups; p++) {
      let width = 0;
      for (let t = 0; t < 4; t++) {
        const x = v[4 * p + t] ?? 0;
        width += Math.abs(x);
        if (x < 0) floor += x;
        sumQ += x;
      }
      if (width > widest) widest = width;
    }
    const step = widest > 0 ? widest / TABLE_MAX : 1;
    const tables = out && out.length >= groups * 16 ? out : new Uint8Array(groups * 16);
    for (let p = 0; p < groups; p++) {
      let least = 0;
      for (let t = 0; t < 4; t++) least += Math.min(0, v[4 * p + t] ?? 0);
      for (let bits = 0; bits < 16; bits++) {
        let sum = -least;
        for (let t = 0; t < 4; t++) if (bits & (1 << t)) sum += v[4 * p + t] ?? 0;
        tables[p * 16 + bits] = Math.min(TABLE_MAX, Math.round(sum / step));
      }
    }
    // Σ_{bit set} q_i ≈ step·S + floor, and q·sign = 2·Σ_{bit set} q_i − Σ q_i.
    return { tables, a: 2 * step, b: 2 * floor - sumQ, offset };
  }
}
