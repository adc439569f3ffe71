import { quantizeInt8 } from './quantize';
import { createTopKKernel, type TopKKernel } from './vector-index-kernel';

/**
 * In-memory vector index over int8-quantised chunk embeddings, scanned by the WASM SIMD kernel (JS
 * fallback where WASM SIMD is missing). Rows are kept dense (removal moves the last row into the hole)
 * so a query scans exactly `size` rows. One index holds one model's vectors: vectors of different
 * encoders are not comparable, so a model change builds a new index while re-embedding.
 *
 * Persistence is the caller's: `toRows()` / `VectorIndex.fromRows()` speak the IndexedDB row shape
 * (one row per chunk, see ChunkRow in extension/db/database.ts), which carries extra fields through.
 */

/** Identity of a stored chunk vector. Extra fields (url, site, at, …) ride along for filters. */
export interface VectorMeta {
  id: string;
  sourceKind: string;
  sourceId: string;
  [extra: string]: unknown;
}

/** One chunk as stored in IndexedDB: the meta plus model, dims, scale and the int8 bytes. */
export interface VectorRow extends VectorMeta {
  model: string;
  dims?: number;
  scale: number;
  vector: Int8Array;
}

export interface VectorHit<M extends VectorMeta = VectorMeta> {
  id: string;
  /** Cosine similarity estimated from the int8 vectors (query and row both quantised). */
  score: number;
  meta: M;
}

export type VectorFilter<M extends VectorMeta = VectorMeta> = (meta: M) => boolean;

export interface VectorIndexOptions {
  dims: number;
  model: string;
  /** Which kernel scans: 'auto' picks WASM SIMD where it runs. */
  kernel?: 'auto' | 'wasm-simd' | 'js';
}

const sourceKey = (kind: string, id: string) => `${kind}\u0000${id}`;

export class VectorIndex<M extends VectorMeta = VectorMeta> {
  readonly dims: number;
  readonly model: string;
  private readonly kernel: TopKKernel;
  private metas: M[] = [];
  private rowOf = new Map<string, number>();
  private bySource = new Map<string, Set<string>>();
  private mask: Uint8Array = new Uint8Array(0);
  private queryQ: Int8Array;

  constructor(options: VectorIndexOptions) {
    this.dims = options.dims;
    this.model = options.model;
    this.kernel = createTopKKernel(options.dims, options.kernel ?? 'auto');
    this.queryQ = new Int8Array(options.dims);
  }

  /** 'wasm-simd' or 'js': which kernel this index scans with. */
  get kernelKind(): TopKKernel['kind'] {
    return this.kernel.kind;
  }

  get size(): number {
    return this.metas.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Adds or replaces the vector of `meta.id` (a float vector is normalised-agnostic; it is quantised here). */
  upsert(meta: M, vector: ArrayLike<number>): void {
    if (vector.length !== this.dims) throw new RangeError(`vector has ${vector.length} dims, index has ${this.dims}`);
    const { q, scale } = quantizeInt8(vector);
    this.put(meta, q, scale);
  }

  /** Adds or replaces a stored row (already quantised). Rows of another model are refused. */
  addRow(row: VectorRow & M): void {
    if (row.model !== this.model) throw new Error(`row ${row.id} is from model ${row.model}, index holds ${this.model}`);
    if (row.vector.length !== this.dims || (row.dims !== undefined && row.dims !== this.dims)) {
      throw new RangeError(`row ${row.id} has ${row.vector.length} dims, index has ${this.dims}`);
    }
    const { vector, scale, model: _model, dims: _dims, ...meta } = row;
    this.put(meta as unknown as M, vector, scale);
  }

  private put(meta: M, q: Int8Array, scale: number): void {
    let row = this.rowOf.get(meta.id);
    if (row === undefined) {
      row = this.metas.length;
      this.kernel.reserve(row + 1);
      this.metas.push(meta);
      this.rowOf.set(meta.id, row);
    } else {
      this.unlinkSource(this.metas[row]!);
      this.metas[row] = meta;
    }
    const key = sourceKey(meta.sourceKind, meta.sourceId);
    let ids = this.bySource.get(key);
    if (!ids) this.bySource.set(key, (ids = new Set()));
    ids.add(meta.id);
    this.kernel.writeRow(row, q, scale);
  }

  private unlinkSource(meta: M): void {
    const key = sourceKey(meta.sourceKind, meta.sourceId);
    const ids = this.bySource.get(key);
    ids?.delete(meta.id);
    if (ids && ids.size === 0) this.bySource.delete(key);
  }

  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.unlinkSource(this.metas[row]!);
    const last = this.metas.length - 1;
    if (row !== last) {
      const moved = this.metas[last]!;
      this.kernel.moveRow(last, row);
      this.metas[row] = moved;
      this.rowOf.set(moved.id, row);
    }
    this.metas.pop();
    this.rowOf.delete(id);
    return true;
  }

  /** Removes every chunk of one source (a page re-chunked, a highlight deleted); returns how many. */
  removeSource(sourceKind: string, sourceId: string): number {
    const ids = [...(this.bySource.get(sourceKey(sourceKind, sourceId)) ?? [])];
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  idsOfSource(sourceKind: string, sourceId: string): string[] {
    return [...(this.bySource.get(sourceKey(sourceKind, sourceId)) ?? [])];
  }

  /**
   * Mean of the (dequantised) vectors of the first `chunksPerSource` chunks of each source given as
   * `kind:id` source ids; sources not in the index are skipped. Null when none is found.
   */
  sourcesCentroid(sourceIds: readonly string[], chunksPerSource = 1): Float32Array | null {
    const sum = new Float32Array(this.dims);
    let count = 0;
    for (const sid of sourceIds) {
      const colon = sid.indexOf(':');
      const ids = this.bySource.get(sourceKey(sid.slice(0, colon), sid.slice(colon + 1)));
      if (!ids) continue;
      let taken = 0;
      for (const id of ids) {
        if (taken++ >= chunksPerSource) break;
        const { q, scale } = this.kernel.readRow(this.rowOf.get(id)!);
        for (let i = 0; i < this.dims; i++) sum[i]! += q[i]! * scale;
        count++;
      }
    }
    if (count === 0) return null;
    for (let i = 0; i < this.dims; i++) sum[i]! /= count;
    return sum;
  }

  /** The k rows most similar to `query` (a float embedding of this index's model), best first. */
  topK(query: ArrayLike<number>, k: number, filter?: VectorFilter<M>): VectorHit<M>[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, index has ${this.dims}`);
    const n = this.metas.length;
    if (n === 0 || k <= 0) return [];
    const { scale: qScale } = quantizeInt8(query, this.queryQ);
    let mask: Uint8Array | undefined;
    if (filter) {
      if (this.mask.length < n) this.mask = new Uint8Array(this.kernel.capacity);
      mask = this.mask;
      for (let i = 0; i < n; i++) mask[i] = filter(this.metas[i]!) ? 1 : 0;
    }
    const { rows, scores } = this.kernel.topK(n, this.queryQ, k, mask);
    const hits: VectorHit<M>[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const meta = this.metas[rows[i]!]!;
      hits[i] = { id: meta.id, score: scores[i]! * qScale, meta };
    }
    return hits;
  }

  /** Every row, in the IndexedDB shape (vectors copied out of the kernel). */
  toRows(): (VectorRow & M)[] {
    return this.metas.map((meta) => {
      const { q, scale } = this.kernel.readRow(this.rowOf.get(meta.id)!);
      return { ...meta, model: this.model, dims: this.dims, scale, vector: q };
    });
  }

  static fromRows<M extends VectorMeta = VectorMeta>(rows: Iterable<VectorRow & M>, options: VectorIndexOptions): VectorIndex<M> {
    const index = new VectorIndex<M>(options);
    for (const row of rows) index.addRow(row);
    return index;
  }
}
