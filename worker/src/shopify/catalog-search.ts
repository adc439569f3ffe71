import { floorFromProbeScores, NOISE_PROBES } from '../../../shared/search/noise-floor';
import { reciprocalRankFusion } from '../store/fusion';
import type { CatalogProduct } from './catalog';

/**
 * The pure half of a store's search by meaning (no Durable Object, no bindings), shared by the
 * MerchantStore object and `npm run bench -- merchant`, so the bench measures exactly what serves.
 *
 * Vectors are kept int8 (one scale per vector, 4× smaller than float32; the ranking change is far
 * below what separates a match from a non-match), at most MAX_VECTORS per store.
 */

export const MAX_VECTORS = 12_000;
/** The catalogue text embedded per product: what a shopper would name it by, then the start of its description. */
export function productEmbedText(p: CatalogProduct): string {
  const head = [p.title, p.vendor, p.productType, p.tags.slice(0, 12).join(', ')].filter(Boolean).join('. ');
  return `${head}. ${p.description.slice(0, 400)}`.trim();
}

export function passageEmbedText(title: string, body: string): string {
  return `${title}. ${body}`.slice(0, 1500);
}

/** The made-up probe strings the store's floor is calibrated with (shared with user memory). */
export const FLOOR_PROBES = NOISE_PROBES;

/**
 * Added to the best cosine a made-up probe reaches in this store's vectors. Fitted by
 * `npm run bench -- merchant` on the fit stores (bench/merchant-search.ts, bench/README.md): the margin
 * that best trades own products found against other stores' product questions and nonsense answered by
 * meaning alone, reported on held-out stores separately. It is a margin over a per-store, per-model
 * floor, not a raw cosine, so it does not assume one model's scale.
 */
export const MERCHANT_FLOOR_MARGIN = 0.105;

export function unit(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * out[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

/** Unit vector → int8 bytes and the scale that restores it. */
export function quantise(v: ArrayLike<number>): { scale: number; bytes: Uint8Array } {
  const u = unit(v);
  let max = 0;
  for (let i = 0; i < u.length; i++) max = Math.max(max, Math.abs(u[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(u.length);
  for (let i = 0; i < u.length; i++) q[i] = Math.round(u[i]! / scale);
  return { scale, bytes: new Uint8Array(q.buffer) };
}

export function dequantise(scale: number, bytes: Uint8Array): Float32Array {
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale;
  return unit(out);
}

export interface VectorRow {
  kind: 'product' | 'passage';
  ref: string;
}

export interface VectorScore extends VectorRow {
  score: number;
}

/** All of one model's vectors of a store in one flat array: a query is one pass of dot products. */
export class VectorMatrix {
  readonly dims: number;
  private readonly data: Float32Array;

  constructor(
    readonly rows: readonly VectorRow[],
    vectors: readonly Float32Array[],
  ) {
    this.dims = vectors[0]?.length ?? 0;
    this.data = new Float32Array(rows.length * this.dims);
    vectors.forEach((v, i) => this.data.set(v.subarray(0, this.dims), i * this.dims));
  }

  get size(): number {
    return this.rows.length;
  }

  /** Best cosine per (kind, ref), best first; rows of another dimension never match. */
  scores(query: ArrayLike<number>, kind?: VectorRow['kind']): VectorScore[] {
    if (!this.size || query.length !== this.dims) return [];
    const q = unit(query);
    const best = new Map<string, VectorScore>();
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      if (kind && row.kind !== kind) continue;
      let dot = 0;
      const off = r * this.dims;
      for (let i = 0; i < this.dims; i++) dot += this.data[off + i]! * q[i]!;
      const id = `${row.kind}:${row.ref}`;
      const prev = best.get(id);
      if (!prev || dot > prev.score) best.set(id, { ...row, score: dot });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /** The rows of one kind, as their own matrix (each list calibrates its own floor). */
  only(kind: VectorRow['kind']): VectorMatrix {
    const keep = this.rows.map((r, i) => (r.kind === kind ? i : -1)).filter((i) => i >= 0);
    return new VectorMatrix(
      keep.map((i) => this.rows[i]!),
      keep.map((i) => this.data.subarray(i * this.dims, (i + 1) * this.dims)),
    );
  }

  top(query: ArrayLike<number>): number | null {
    return this.scores(query)[0]?.score ?? null;
  }
}

/** The store's own floor for this model: made-up probes' best cosine against its vectors, plus the margin. */
export function catalogFloor(matrix: VectorMatrix, probeVectors: readonly ArrayLike<number>[], margin = MERCHANT_FLOOR_MARGIN): number {
  return floorFromProbeScores(probeVectors.map((p) => matrix.top(p)), margin);
}

/**
 * Keyword ids (bm25 order) and vector hits fused by reciprocal rank. A hit found by meaning alone
 * must clear the floor; below it the store does not have the thing asked for, and the chat hands the
 * shopper over to the merchant rather than showing the nearest unrelated product.
 */
export function fuseIds(keywordIds: readonly string[], vectorHits: readonly VectorScore[], floor: number, limit: number): string[] {
  const byMeaning = vectorHits.filter((h) => h.score >= floor).map((h) => h.ref);
  return reciprocalRankFusion([keywordIds, byMeaning]).slice(0, limit).map((f) => f.id);
}
