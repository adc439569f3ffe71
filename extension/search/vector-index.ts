import { BinaryCoder, type QueryTables } from './binary-codes';
import { createBinaryKernel, type BinaryKernel } from './binary-kernel';
import { quantizeInt8 } from './quantize';
import { createTopKKernel, type TopKKernel } from './vector-index-kernel';
import { VectorRows } from './vector-rows';

/**
 * In-memory vector index over chunk embeddings, searched in two passes: the WASM SIMD kernel scans
 * one-bit codes of every row (64 bytes a 512-d chunk, extension/search/binary-codes.ts) for the best
 * `candidates` estimates, then those candidates are rescored with their int8 vectors, so every hit's
 * score is the int8 cosine the rest of the search (noise floor, per-query vector trust) is fitted on.
 * With `scan: 'int8'`, or up to EXACT_UP_TO rows, every row's int8 vector is scanned instead (exact,
 * eight times the bytes, and faster than two passes at that size).
 *
 * The int8 vectors are held in memory only up to `holdInt8UpTo` rows when an `int8Source` can read
 * them back (IndexedDB in the extension); past that only the codes stay in memory and `search()`
 * reads the candidates' int8 vectors from the source. Rows are kept dense (removal moves the last row
 * into the hole) so a query scans exactly `size` rows. One index holds one model's vectors: vectors of
 * different encoders are not comparable, so a model change builds a new index while re-embedding.
 *
 * Who each row is (chunk id, source, meta) lives in a compact row table (vector-rows.ts): four int32s
 * a row and one meta per source, so at a million chunks the ids and metas no longer outweigh the codes.
 *
 * Persistence is the caller's: `toRows()` / `VectorIndex.fromRows()` speak the IndexedDB row shape
 * (one row per chunk, see ChunkRow in extension/db/database.ts), which carries extra fields through;
 * `snapshot()` / `VectorIndex.restore()` keep the codes, so a restore does not re-code every row.
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

/**
 * A filter on the source's fields (kind, site, date …): it is called once per source, on the meta of
 * one of its chunks, and once more for each chunk whose other fields differ from its source's.
 */
export type VectorFilter<M extends VectorMeta = VectorMeta> = (meta: M) => boolean;

/** A chunk's stored int8 vector (ChunkRow's `vector` and `scale`). */
export interface StoredInt8 {
  vector: Int8Array;
  scale: number;
}

/** Reads stored int8 vectors by chunk id, in order (undefined where one is gone). */
export type Int8Source = (ids: readonly string[]) => Promise<(StoredInt8 | undefined)[]> | (StoredInt8 | undefined)[];

export interface VectorIndexOptions {
  dims: number;
  model: string;
  /** Which kernel scans: 'auto' picks WASM SIMD where it runs. */
  kernel?: 'auto' | 'wasm-simd' | 'js';
  /** 'binary' (default): codes, then an int8 rescore of the candidates; 'int8': every int8 row (exact). */
  scan?: 'binary' | 'int8';
  /** How many candidates the code scan hands to the rescore from held int8 rows (at least k). */
  candidates?: number;
  /** The same when the int8 rows are read back from the int8Source (each read costs; at least k). */
  sourceCandidates?: number;
  /** Where int8 vectors are read back from once they are no longer held (see holdInt8UpTo). */
  int8Source?: Int8Source;
  /** Rows up to which int8 vectors stay in memory when an int8Source exists (without one: always). */
  holdInt8UpTo?: number;
  /** Subtracted from every vector before coding (see BinaryCoder); null: none. */
  centre?: Float32Array | null;
  /** Up to this many rows (with int8 held) every int8 row is scanned instead: exact, and faster there. */
  exactUpTo?: number;
}

/**
 * Candidates rescored per query from held int8 rows: on the bundled encoder's real embeddings (12.6k
 * chunks of Cranfield + MED + CACM) 400 reach the exact int8 scan's own recall@10 (0.993 against float
 * cosine; 200: 0.988); random unit vectors (no structure, the worst case for sign codes) reach 0.78 at
 * 100k (bench/vector-recall.ts, bench/results/vectors-recall-2026-12-04.jsonl).
 */
export const DEFAULT_CANDIDATES = 400;

/**
 * Candidates when they are read back from IndexedDB: in headless Chromium a Dexie bulkGet of 400 chunk
 * rows took 37–66 ms p50 and of 100 rows ~12 ms (bench/results/vectors-idb-2026-12-04.jsonl, a loaded
 * box), while 100 candidates kept recall@10 at 0.976 on the real embeddings (against 0.993 for the
 * exact int8 scan; bench/results/vectors-recall-2026-12-04.jsonl). Random unit vectors, the worst case
 * for sign codes, need far more (0.37 at 1M with 100, 0.87 with 2000).
 */
export const SOURCE_CANDIDATES = 100;

/**
 * Below this many rows the int8 vectors stay in memory even when IndexedDB holds them: measured at 100k,
 * rescoring 400 held candidates added ~2 ms CPU to the 1.9 ms code scan (vector p95 4.0 ms against 6.1
 * for the int8 scan), where a 100-row read from IndexedDB alone costs ~12 ms; 100k held rows cost
 * ~52 MiB more (73 against 6.5 MiB of codes). Past it the codes alone (68 bytes a row) keep a million
 * chunks at 68 MiB of vector data (bench/results/vectors-latency-2026-12-04.jsonl).
 */
export const HOLD_INT8_UP_TO = 100_000;

/**
 * Below this many rows a held index scans every int8 row rather than codes + rescore: measured at 10k
 * rows in Node, the int8 scan took 0.11 µs a row and the code scan 0.06 µs a row plus ~1.1 ms to
 * rescore 400 candidates, so the two cross near 23k rows (bench/results/vectors-latency-2026-12-04.jsonl).
 */
export const EXACT_UP_TO = 20_000;

/** What snapshot() keeps: enough to search again without re-coding (and without int8 unless held). */
export interface VectorIndexSnapshot<M extends VectorMeta = VectorMeta> {
  model: string;
  dims: number;
  metas: M[];
  codes: Uint8Array;
  factors: Float32Array;
  centre: Float32Array | null;
  int8?: { vectors: Int8Array; scales: Float32Array };
}

export class VectorIndex<M extends VectorMeta = VectorMeta> {
  readonly dims: number;
  readonly model: string;
  readonly scanKind: 'binary' | 'int8';
  private readonly options: VectorIndexOptions;
  /** int8 rows while held (always for scan 'int8' or without a source); null once handed to the source. */
  private int8: TopKKernel | null;
  private readonly coder: BinaryCoder | null;
  private readonly codes: BinaryKernel | null;
  private readonly code: Uint8Array;
  /** Ids, sources and metas of the dense rows (compact: see vector-rows.ts). */
  private rows = new VectorRows<M>();
  private mask: Uint8Array = new Uint8Array(0);
  private queryQ: Int8Array;
  private tables: Uint8Array = new Uint8Array(0);

  constructor(options: VectorIndexOptions) {
    this.options = options;
    this.dims = options.dims;
    this.model = options.model;
    this.scanKind = options.scan ?? 'binary';
    const kernel = options.kernel ?? 'auto';
    this.int8 = createTopKKernel(options.dims, kernel);
    this.coder = this.scanKind === 'binary' ? new BinaryCoder(options.dims, options.centre ?? null) : null;
    this.codes = this.coder ? createBinaryKernel(this.coder.rowBytes, kernel) : null;
    this.code = new Uint8Array(this.coder?.rowBytes ?? 0);
    this.queryQ = new Int8Array(options.dims);
  }

  /** 'wasm-simd' or 'js': which kernel this index scans with. */
  get kernelKind(): TopKKernel['kind'] {
    return (this.codes ?? this.int8!).kind;
  }

  /** Whether the int8 vectors are in memory (else search() reads the candidates' from the source). */
  get holdsInt8(): boolean {
    return this.int8 !== null;
  }

  /** Bytes of vector data in memory: codes + factors, and int8 rows + scales while held (capacity rows). */
  get vectorBytes(): number {
    return (this.codes?.bytes ?? 0) + (this.int8 ? this.int8.capacity * (this.dims + 4) : 0);
  }

  private get holdLimit(): number {
    if (this.scanKind === 'int8' || !this.options.int8Source) return Infinity;
    return this.options.holdInt8UpTo ?? HOLD_INT8_UP_TO;
  }

  get size(): number {
    return this.rows.size;
  }

  has(id: string): boolean {
    return this.rows.rowOf(id) !== undefined;
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
    let row = this.rows.rowOf(meta.id);
    if (row === undefined) {
      row = this.rows.size;
      // Past the limit the int8 copy is dropped for good: the source holds every row (it is where they came from).
      if (this.int8 && row + 1 > this.holdLimit) this.int8 = null;
      this.int8?.reserve(row + 1);
      this.codes?.reserve(row + 1);
      this.rows.append(meta);
    } else {
      this.rows.replace(row, meta);
    }
    this.int8?.writeRow(row, q, scale);
    if (this.codes) this.codes.writeRow(row, this.code, this.coder!.encode(q, this.code, scale));
  }

  private removeRow(row: number): void {
    const moved = this.rows.remove(row);
    if (moved >= 0) {
      this.int8?.moveRow(moved, row);
      this.codes?.moveRow(moved, row);
    }
  }

  remove(id: string): boolean {
    const row = this.rows.rowOf(id);
    if (row === undefined) return false;
    this.removeRow(row);
    return true;
  }

  /** Removes every chunk of one source (a page re-chunked, a highlight deleted); returns how many. */
  removeSource(sourceKind: string, sourceId: string): number {
    // Highest row first: the row that moves into each hole is then never one of this source's.
    const rows = this.rows.rowsOfSource(sourceKind, sourceId).sort((x, y) => y - x);
    for (const row of rows) this.removeRow(row);
    return rows.length;
  }

  idsOfSource(sourceKind: string, sourceId: string): string[] {
    return this.rows.rowsOfSource(sourceKind, sourceId).map((row) => this.rows.idOf(row));
  }

  /** The rows of the first `chunksPerSource` chunks of each `kind:id` source id found. */
  private seedRows(sourceIds: readonly string[], chunksPerSource: number): number[] {
    const out: number[] = [];
    for (const sid of sourceIds) {
      const colon = sid.indexOf(':');
      out.push(...this.rows.rowsOfSource(sid.slice(0, colon), sid.slice(colon + 1)).slice(0, chunksPerSource));
    }
    return out;
  }

  private mean(vectors: readonly (StoredInt8 | undefined)[]): Float32Array | null {
    const sum = new Float32Array(this.dims);
    let count = 0;
    for (const v of vectors) {
      if (!v) continue;
      // float32 like the held scales, so a centroid is the same whether held or read back.
      const scale = Math.fround(v.scale);
      for (let i = 0; i < this.dims; i++) sum[i]! += v.vector[i]! * scale;
      count++;
    }
    if (count === 0) return null;
    for (let i = 0; i < this.dims; i++) sum[i]! /= count;
    return sum;
  }

  /** int8 vectors of rows: from memory while held, else from the source (a promise when it is async). */
  private int8Of(rows: ArrayLike<number>): (StoredInt8 | undefined)[] | Promise<(StoredInt8 | undefined)[]> {
    const held = this.int8;
    if (held) return Array.from(rows, (row) => {
      const { q, scale } = held.readRow(row);
      return { vector: q, scale };
    });
    const source = this.options.int8Source;
    if (!source) throw new Error('the int8 vectors are neither held nor readable (no int8Source)');
    return source(Array.from(rows, (row) => this.rows.idOf(row)));
  }

  /**
   * Mean of the (dequantised) vectors of the first `chunksPerSource` chunks of each source given as
   * `kind:id` source ids; sources not in the index are skipped. Null when none is found. Synchronous
   * only while the int8 vectors are held (or the source answers synchronously); else sourcesCentroidAsync.
   */
  sourcesCentroid(sourceIds: readonly string[], chunksPerSource = 1): Float32Array | null {
    const vectors = this.int8Of(this.seedRows(sourceIds, chunksPerSource));
    if (vectors instanceof Promise) throw new Error('the int8 vectors are read asynchronously here: use sourcesCentroidAsync()');
    return this.mean(vectors);
  }

  async sourcesCentroidAsync(sourceIds: readonly string[], chunksPerSource = 1): Promise<Float32Array | null> {
    return this.mean(await this.int8Of(this.seedRows(sourceIds, chunksPerSource)));
  }

  /** Candidate rows for a query: every passing row's exact int8 score ('int8' scan) or the code scan's best. */
  private firstPass(query: ArrayLike<number>, k: number, filter?: VectorFilter<M>, codesOnly = false) {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, index has ${this.dims}`);
    const n = this.rows.size;
    const { scale: qScale } = quantizeInt8(query, this.queryQ);
    let mask: Uint8Array | undefined;
    if (filter) {
      if (this.mask.length < n) this.mask = new Uint8Array(Math.max(n, this.codes?.capacity ?? 0, this.int8?.capacity ?? 0));
      mask = this.mask;
      this.rows.fillMask(filter, mask);
    }
    if (!this.codes || (!codesOnly && this.int8 && n <= (this.options.exactUpTo ?? EXACT_UP_TO))) return { exact: this.int8!.topK(n, this.queryQ, k, mask), qScale };
    const tables: QueryTables = this.coder!.queryTables(query, this.tables);
    this.tables = tables.tables;
    const depth = Math.max(k, this.int8 ? (this.options.candidates ?? DEFAULT_CANDIDATES) : (this.options.sourceCandidates ?? SOURCE_CANDIDATES));
    return { candidates: this.codes.scan(n, tables, depth, mask).rows, qScale };
  }

  /**
   * The best k of the candidates by int8 score, with the int8 kernel's exact order and float32 steps
   * (score = dot(qQuery, qRow) · rowScale, ties to the lower row), so when the candidates hold the exact
   * top k this returns exactly what the int8 scan returns.
   */
  private rescore(candidates: Int32Array, vectors: readonly (StoredInt8 | undefined)[], k: number, qScale: number): VectorHit<M>[] {
    const q = this.queryQ;
    const scored: { row: number; score: number }[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const v = vectors[c];
      if (!v) continue;
      let dot = 0;
      for (let i = 0; i < this.dims; i++) dot += v.vector[i]! * q[i]!;
      scored.push({ row: candidates[c]!, score: Math.fround(Math.fround(dot) * Math.fround(v.scale)) });
    }
    scored.sort((a, b) => b.score - a.score || a.row - b.row);
    return scored.slice(0, k).map(({ row, score }) => this.hit(row, score * qScale));
  }

  /** rescore over the held int8 rows, scored in place (no copies); same order and float32 steps. */
  private rescoreHeld(candidates: Int32Array, k: number, qScale: number): VectorHit<M>[] {
    const scores = this.int8!.scoreRows(candidates, this.queryQ);
    const order = Array.from(candidates.keys()).sort((a, b) => scores[b]! - scores[a]! || candidates[a]! - candidates[b]!);
    return order.slice(0, k).map((c) => this.hit(candidates[c]!, scores[c]! * qScale));
  }

  private hit(row: number, score: number): VectorHit<M> {
    const meta = this.rows.metaOf(row);
    return { id: meta.id, score, meta };
  }

  /**
   * The k rows most similar to `query` (a float embedding of this index's model), best first, scored
   * by int8 cosine. Synchronous while the int8 vectors are held (or the source answers synchronously);
   * the offscreen document, whose source is IndexedDB, calls search().
   */
  topK(query: ArrayLike<number>, k: number, filter?: VectorFilter<M>): VectorHit<M>[] {
    if (this.rows.size === 0 || k <= 0) return [];
    const pass = this.firstPass(query, k, filter);
    if ('exact' in pass && pass.exact) return Array.from(pass.exact.rows, (row, i) => this.hit(row, pass.exact.scores[i]! * pass.qScale));
    if (this.int8) return this.rescoreHeld(pass.candidates!, k, pass.qScale);
    const vectors = this.int8Of(pass.candidates!);
    if (vectors instanceof Promise) throw new Error('the int8 vectors are read asynchronously here: use search()');
    return this.rescore(pass.candidates!, vectors, k, pass.qScale);
  }

  /** The code scan alone: the rows of the best `depth` estimates (the bench times the rescore apart). */
  firstPassRows(query: ArrayLike<number>, depth: number): Int32Array {
    if (this.rows.size === 0 || !this.codes) return new Int32Array(0);
    return this.firstPass(query, depth, undefined, true).candidates!;
  }

  /** topK, reading the candidates' int8 vectors from the source when they are not held. */
  async search(query: ArrayLike<number>, k: number, filter?: VectorFilter<M>): Promise<VectorHit<M>[]> {
    if (this.rows.size === 0 || k <= 0) return [];
    const pass = this.firstPass(query, k, filter);
    if ('exact' in pass && pass.exact) return Array.from(pass.exact.rows, (row, i) => this.hit(row, pass.exact.scores[i]! * pass.qScale));
    const candidates = pass.candidates!;
    if (this.int8) return this.rescoreHeld(candidates, k, pass.qScale);
    return this.rescore(candidates, await this.int8Of(candidates), k, pass.qScale);
  }

  /** Every row, in the IndexedDB shape (vectors copied out of memory; needs them held). */
  toRows(): (VectorRow & M)[] {
    const held = this.int8;
    if (!held) throw new Error('the int8 vectors are not held: read them from their source');
    return Array.from({ length: this.rows.size }, (_, row) => {
      const { q, scale } = held.readRow(row);
      return { ...this.rows.metaOf(row), model: this.model, dims: this.dims, scale, vector: q };
    });
  }

  static fromRows<M extends VectorMeta = VectorMeta>(rows: Iterable<VectorRow & M>, options: VectorIndexOptions): VectorIndex<M> {
    const index = new VectorIndex<M>(options);
    for (const row of rows) index.addRow(row);
    return index;
  }

  /** The codes, metas and (while held) int8 rows, copied out: restore() searches again without re-coding. */
  snapshot(): VectorIndexSnapshot<M> {
    if (!this.codes || !this.coder) throw new Error("snapshots keep binary codes; this index scans 'int8'");
    const n = this.rows.size;
    const codes = new Uint8Array(n * this.coder.rowBytes);
    const factors = new Float32Array(n);
    for (let row = 0; row < n; row++) {
      const { code, factor } = this.codes.readRow(row);
      codes.set(code, row * this.coder.rowBytes);
      factors[row] = factor;
    }
    const snap: VectorIndexSnapshot<M> = { model: this.model, dims: this.dims, metas: Array.from({ length: n }, (_, row) => this.rows.metaOf(row)), codes, factors, centre: this.coder.centre };
    const held = this.int8;
    if (held) {
      const vectors = new Int8Array(n * this.dims);
      const scales = new Float32Array(n);
      for (let row = 0; row < n; row++) {
        const { q, scale } = held.readRow(row);
        vectors.set(q, row * this.dims);
        scales[row] = scale;
      }
      snap.int8 = { vectors, scales };
    }
    return snap;
  }

  static restore<M extends VectorMeta = VectorMeta>(snap: VectorIndexSnapshot<M>, options: VectorIndexOptions): VectorIndex<M> {
    if (snap.model !== options.model || snap.dims !== options.dims) throw new Error(`snapshot is of ${snap.model} (${snap.dims} dims), index wants ${options.model} (${options.dims})`);
    const index = new VectorIndex<M>({ ...options, scan: 'binary', centre: snap.centre });
    const rowBytes = index.coder!.rowBytes;
    const n = snap.metas.length;
    if (snap.codes.length !== n * rowBytes || snap.factors.length !== n) throw new RangeError('snapshot codes do not match its rows');
    if (!snap.int8 && !options.int8Source) throw new Error('a snapshot without int8 vectors needs an int8Source');
    if (!snap.int8 || n > index.holdLimit) index.int8 = null;
    index.codes!.reserve(n);
    index.int8?.reserve(n);
    for (let row = 0; row < n; row++) {
      index.rows.append(snap.metas[row]!);
      index.codes!.writeRow(row, snap.codes.subarray(row * rowBytes, (row + 1) * rowBytes), snap.factors[row]!);
      if (index.int8 && snap.int8) index.int8.writeRow(row, snap.int8.vectors.subarray(row * snap.dims, (row + 1) * snap.dims), snap.int8.scales[row]!);
    }
    return index;
  }
}
