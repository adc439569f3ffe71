import { normalize } from './vector-codec';

/**
 * Nearest-neighbour search over a user's record vectors, behind one interface:
 * - LocalVectorIndex: brute-force cosine over vectors held in the Durable Object's memory (loaded from
 *   its SQLite on first use: ~14 ms per query for 10k × 384-d, PLATFORM.md). What `wrangler dev` and
 *   the tests use, and fine in production for one person's records.
 * - VectorizeVectorIndex: Cloudflare Vectorize when the VECTORIZE binding exists; one namespace per user, so a
 *   query can only ever see that user's vectors.
 * Both return record doc ids (the Durable Object's row ids) with the best chunk's cosine.
 */
export interface VectorHit {
  docId: number;
  score: number;
}

export interface ChunkVector {
  docId: number;
  chunk: number;
  model: string;
  /** Unit length. */
  values: Float32Array;
}

export interface VectorIndex {
  upsert(vectors: readonly ChunkVector[]): Promise<void>;
  removeDocs(docIds: readonly number[], chunksPerDoc?: number): Promise<void>;
  query(model: string, vector: Float32Array, topK: number): Promise<VectorHit[]>;
}

function bestPerDoc(pairs: Iterable<VectorHit>, topK: number): VectorHit[] {
  const best = new Map<number, number>();
  for (const { docId, score } of pairs) {
    const prev = best.get(docId);
    if (prev === undefined || score > prev) best.set(docId, score);
  }
  return [...best].map(([docId, score]) => ({ docId, score })).sort((a, b) => b.score - a.score).slice(0, topK);
}

interface ModelMatrix {
  dims: number;
  docIds: Int32Array;
  /** Row-major, one unit vector per chunk. */
  data: Float32Array;
}

/**
 * Keeps one flat Float32Array per model: a query is one pass of dot products over contiguous memory.
 * `load` reads every vector of a model from storage; it runs lazily after any change (`invalidate`),
 * which costs one read per search after a sync rather than bookkeeping on every write.
 */
export class LocalVectorIndex implements VectorIndex {
  private readonly cache = new Map<string, ModelMatrix>();

  constructor(private readonly load: (model: string) => { dims: number; rows: { docId: number; values: Float32Array }[] }) {}

  invalidate(): void {
    this.cache.clear();
  }

  async upsert(): Promise<void> {
    this.invalidate(); // rows are written by the store's own transaction; just forget the cached matrix
  }

  async removeDocs(): Promise<void> {
    this.invalidate();
  }

  private matrix(model: string): ModelMatrix {
    let m = this.cache.get(model);
    if (!m) {
      const { dims, rows } = this.load(model);
      const data = new Float32Array(rows.length * dims);
      const docIds = new Int32Array(rows.length);
      rows.forEach((row, i) => {
        data.set(row.values.subarray(0, dims), i * dims);
        docIds[i] = row.docId;
      });
      m = { dims, docIds, data };
      this.cache.set(model, m);
    }
    return m;
  }

  async query(model: string, vector: Float32Array, topK: number): Promise<VectorHit[]> {
    const m = this.matrix(model);
    if (m.docIds.length === 0 || vector.length !== m.dims) return [];
    const q = normalize(Float32Array.from(vector));
    const scores: VectorHit[] = [];
    for (let row = 0; row < m.docIds.length; row++) {
      let dot = 0;
      const off = row * m.dims;
      for (let i = 0; i < m.dims; i++) dot += m.data[off + i]! * q[i]!;
      scores.push({ docId: m.docIds[row]!, score: dot });
    }
    return bestPerDoc(scores, topK);
  }
}

/** Vectorize ids are `<docId>_<chunk>` inside the user's namespace; metadata names the model. */
export class VectorizeVectorIndex implements VectorIndex {
  constructor(
    private readonly index: VectorizeBinding,
    private readonly namespace: string,
  ) {}

  async upsert(vectors: readonly ChunkVector[]): Promise<void> {
    for (let i = 0; i < vectors.length; i += 500) {
      await this.index.upsert(
        vectors.slice(i, i + 500).map((v) => ({
          id: `${v.docId}_${v.chunk}`,
          values: Array.from(v.values),
          namespace: this.namespace,
          metadata: { model: v.model, doc: v.docId },
        })),
      );
    }
  }

  async removeDocs(docIds: readonly number[], chunksPerDoc = 64): Promise<void> {
    const ids = docIds.flatMap((d) => Array.from({ length: chunksPerDoc }, (_, c) => `${d}_${c}`));
    for (let i = 0; i < ids.length; i += 1000) await this.index.deleteByIds(ids.slice(i, i + 1000));
  }

  async query(model: string, vector: Float32Array, topK: number): Promise<VectorHit[]> {
    const res = await this.index.query(Array.from(vector), {
      topK: Math.min(topK * 3, 100),
      namespace: this.namespace,
      filter: { model },
      returnMetadata: 'indexed',
    });
    return bestPerDoc(
      res.matches.map((m) => ({ docId: Number(m.id.split('_')[0]), score: m.score })).filter((h) => Number.isInteger(h.docId)),
      topK,
    );
  }
}

/** The slice of the Vectorize binding we use (lets tests pass a double). */
export type VectorizeBinding = {
  upsert(vectors: { id: string; values: number[]; namespace?: string; metadata?: Record<string, string | number> }[]): Promise<unknown>;
  deleteByIds(ids: string[]): Promise<unknown>;
  query(vector: number[], options: { topK: number; namespace?: string; filter?: Record<string, string>; returnMetadata?: 'indexed' | 'all' | 'none' }): Promise<{ matches: { id: string; score: number }[] }>;
};
