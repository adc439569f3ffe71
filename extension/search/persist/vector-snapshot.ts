import type { VectorIndexSnapshot, VectorMeta } from '../vector-index';

/**
 * The vector index as it is saved (issue 15, cold start): a handful of typed arrays and two strings
 * instead of one IndexedDB row per chunk. Reading 100k chunk rows (each with its text) back through a
 * cursor is what made the offscreen document take tens of seconds to answer after a start; this row is
 * one structured clone of flat buffers.
 *
 * Metas are stored deduplicated: the chunks of one source share every field but their id (url, site,
 * title, date), so each distinct "meta less id" is stored once and each row names its entry.
 * `sources` records, per source key (`kind:id`), the `embeddedAt` of the embeddedSources row the index
 * reflected when saved: on load every source whose row still says the same is trusted, the rest re-read
 * (vector-index-store.ts).
 */

export const VECTOR_SNAPSHOT_VERSION = 1;

export interface StoredVectorSnapshot {
  version: number;
  model: string;
  dims: number;
  count: number;
  savedAt: number;
  codes: Uint8Array;
  factors: Float32Array;
  centre: Float32Array | null;
  int8: { vectors: Int8Array; scales: Float32Array } | null;
  /** JSON: the chunk ids, in row order. */
  ids: string;
  /** JSON: the distinct metas without their id. */
  metaTable: string;
  /** Row → index into metaTable. */
  metaOfRow: Uint32Array;
  /** JSON: [source key, embeddedAt][] of the sources the index reflected when saved. */
  sources: string;
}

export function encodeVectorSnapshot<M extends VectorMeta>(snap: VectorIndexSnapshot<M>, sources: ReadonlyMap<string, number>, savedAt = Date.now()): StoredVectorSnapshot {
  const n = snap.metas.length;
  const ids: string[] = new Array(n);
  const table: Omit<M, 'id'>[] = [];
  const entryOf = new Map<string, number>();
  const metaOfRow = new Uint32Array(n);
  for (let row = 0; row < n; row++) {
    const { id, ...rest } = snap.metas[row]!;
    ids[row] = id;
    const key = JSON.stringify(rest);
    let entry = entryOf.get(key);
    if (entry === undefined) {
      entry = table.length;
      table.push(rest);
      entryOf.set(key, entry);
    }
    metaOfRow[row] = entry;
  }
  return {
    version: VECTOR_SNAPSHOT_VERSION,
    model: snap.model,
    dims: snap.dims,
    count: n,
    savedAt,
    codes: snap.codes,
    factors: snap.factors,
    centre: snap.centre,
    int8: snap.int8 ?? null,
    ids: JSON.stringify(ids),
    metaTable: JSON.stringify(table),
    metaOfRow,
    sources: JSON.stringify([...sources]),
  };
}

/** Back to what VectorIndex.restore takes, and the sources map. Throws on anything inconsistent, so a
 * damaged row is rebuilt from the chunks table rather than searched. */
export function decodeVectorSnapshot<M extends VectorMeta>(stored: StoredVectorSnapshot): { snapshot: VectorIndexSnapshot<M>; sources: Map<string, number> } {
  if (stored.version !== VECTOR_SNAPSHOT_VERSION) throw new Error(`vector snapshot version ${stored.version}, expected ${VECTOR_SNAPSHOT_VERSION}`);
  const ids = JSON.parse(stored.ids) as unknown;
  const table = JSON.parse(stored.metaTable) as unknown;
  const sources = JSON.parse(stored.sources) as unknown;
  const n = stored.count;
  if (!Array.isArray(ids) || ids.length !== n || stored.metaOfRow.length !== n) throw new Error('vector snapshot rows disagree');
  if (!Array.isArray(table) || !Array.isArray(sources)) throw new Error('vector snapshot tables unreadable');
  if (stored.int8 && (stored.int8.vectors.length !== n * stored.dims || stored.int8.scales.length !== n)) throw new Error('vector snapshot int8 rows disagree');
  const metas: M[] = new Array(n);
  for (let row = 0; row < n; row++) {
    const rest = table[stored.metaOfRow[row]!] as Omit<M, 'id'> | undefined;
    const id = ids[row] as unknown;
    if (!rest || typeof id !== 'string') throw new Error(`vector snapshot row ${row} unreadable`);
    metas[row] = { ...rest, id } as M;
  }
  const snapshot: VectorIndexSnapshot<M> = {
    model: stored.model,
    dims: stored.dims,
    metas,
    codes: stored.codes,
    factors: stored.factors,
    centre: stored.centre,
    ...(stored.int8 ? { int8: stored.int8 } : {}),
  };
  return { snapshot, sources: new Map(sources as [string, number][]) };
}
