import type { CalicoDb, ChunkRow, EmbeddedSourceRow } from '@/db/database';
import { VectorIndex, type VectorIndexOptions, type VectorMeta, type VectorRow } from '../vector-index';
import { parseSourceId, sourceId } from '../source-id';
import { decodeVectorSnapshot, encodeVectorSnapshot, type StoredVectorSnapshot } from './vector-snapshot';

/**
 * Opens the offscreen document's vector index from its saved snapshot (one read of a few flat arrays)
 * and catches it up with what changed since, instead of reading every chunk row (issue 15, cold start).
 *
 * What changed is told by the `embeddedSources` table, which the indexing queue writes in the same
 * transaction as a source's chunks: a source whose row's `embeddedAt` is the one the snapshot recorded
 * is trusted as saved; a source re-embedded, added, or written by another context is re-read from the
 * chunks table (by source, a few rows each); a source gone from the table is dropped. Without a usable
 * snapshot, or when most sources changed, the index is read from the chunks table in pages of rows.
 *
 * Saving is the caller's to time (saveIfDue): it must not run while a commit of the indexing queue is
 * between its transaction and the index update (the offscreen document saves between batches), since
 * the sources recorded are those whose row and in-memory chunks agree at that moment.
 */

export interface VectorIndexStoreOptions<M extends VectorMeta> {
  db: CalicoDb;
  /** The index's options (model, dims, int8Source, hold limit): a restored index gets the same. */
  index: VectorIndexOptions;
  /** A chunk row as the index keeps it (its meta, model, scale and int8 vector; no text). */
  rowOf: (row: ChunkRow) => VectorRow & M;
  /** Saves at most this often while chunks keep changing (a save writes every vector again). */
  minSaveIntervalMs?: number;
  /** Past this share of changed sources, reading every chunk beats re-reading them one source at a time. */
  fullReadShare?: number;
}

export interface OpenedVectorIndex<M extends VectorMeta> {
  index: VectorIndex<M>;
  from: 'snapshot' | 'chunks';
  /** Sources re-read from the chunks table (snapshot) or every source (chunks). */
  reread: number;
  removed: number;
  ms: number;
}

export const snapshotName = (model: string) => `vectors:${model}`;

const PAGE_ROWS = 2000;

export class VectorIndexStore<M extends VectorMeta> {
  private changed = false;
  private lastSaved = 0;

  constructor(private readonly o: VectorIndexStoreOptions<M>) {}

  private get db(): CalicoDb {
    return this.o.db;
  }

  private get model(): string {
    return this.o.index.model;
  }

  /** Marks the in-memory index as ahead of its snapshot (a commit of the indexing queue). */
  markChanged(): void {
    this.changed = true;
  }

  get hasUnsaved(): boolean {
    return this.changed;
  }

  async open(): Promise<OpenedVectorIndex<M>> {
    const started = performance.now();
    const [stored, embedded] = await Promise.all([
      this.db.searchSnapshots.get(snapshotName(this.model)).catch(() => undefined),
      this.db.embeddedSources.where('model').equals(this.model).toArray(),
    ]);
    let restored: { index: VectorIndex<M>; sources: Map<string, number>; held: Set<string> } | undefined;
    if (stored) {
      try {
        const { snapshot, sources } = decodeVectorSnapshot<M>(stored.value as StoredVectorSnapshot);
        const held = new Set(snapshot.metas.map((m) => sourceId(m.sourceKind, m.sourceId)));
        restored = { index: VectorIndex.restore(snapshot, this.o.index), sources, held };
      } catch (error) {
        console.warn('vector index snapshot unreadable; reading the chunks', error);
      }
    }
    if (restored) {
      const stale = embedded.filter((row) => restored!.sources.get(row.key) !== row.embeddedAt);
      if (stale.length <= Math.max(200, embedded.length * (this.o.fullReadShare ?? 0.3))) {
        const removed = this.dropGone(restored.index, restored.held, embedded);
        await this.reread(restored.index, stale);
        if (stale.length > 0 || removed > 0) this.changed = true;
        return { index: restored.index, from: 'snapshot', reread: stale.length, removed, ms: performance.now() - started };
      }
    }
    const index = new VectorIndex<M>(this.o.index);
    await this.readAll(index);
    this.changed = true;
    return { index, from: 'chunks', reread: embedded.length, removed: 0, ms: performance.now() - started };
  }

  /** Drops the chunks of sources the snapshot holds that no longer have an embeddedSources row. */
  private dropGone(index: VectorIndex<M>, held: ReadonlySet<string>, embedded: readonly EmbeddedSourceRow[]): number {
    const live = new Set(embedded.map((row) => row.key));
    let removed = 0;
    for (const key of held) {
      if (live.has(key)) continue;
      const { kind, key: id } = parseSourceId(key);
      index.removeSource(kind, id);
      removed++;
    }
    return removed;
  }

  private async reread(index: VectorIndex<M>, sources: readonly EmbeddedSourceRow[]): Promise<void> {
    const PARALLEL = 32;
    for (let i = 0; i < sources.length; i += PARALLEL) {
      const group = sources.slice(i, i + PARALLEL);
      const rows = await Promise.all(group.map((s) => this.db.chunks.where('[sourceKind+sourceId]').equals([s.sourceKind, s.sourceId]).toArray()));
      group.forEach((s, g) => {
        index.removeSource(s.sourceKind, s.sourceId);
        for (const row of rows[g]!) if (row.model === this.model) index.addRow(this.o.rowOf(row));
      });
    }
  }

  /** Every chunk of the model, read in pages by primary key (getAll underneath, not a cursor a row). */
  private async readAll(index: VectorIndex<M>): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = after === undefined ? await this.db.chunks.orderBy('id').limit(PAGE_ROWS).toArray() : await this.db.chunks.where('id').above(after).limit(PAGE_ROWS).toArray();
      for (const row of page) if (row.model === this.model) index.addRow(this.o.rowOf(row));
      if (page.length < PAGE_ROWS) break;
      after = page[page.length - 1]!.id;
    }
  }

  /** Writes the snapshot now (see the class comment for when that is safe). */
  async save(index: VectorIndex<M>, now = Date.now()): Promise<void> {
    this.changed = false;
    this.lastSaved = now;
    const embedded = await this.db.embeddedSources.where('model').equals(this.model).toArray();
    // Only sources whose in-memory chunks match their row are recorded: anything else is re-read next time.
    const sources = new Map<string, number>();
    for (const row of embedded) if (index.idsOfSource(row.sourceKind, row.sourceId).length === row.chunkCount) sources.set(row.key, row.embeddedAt);
    const value = encodeVectorSnapshot(index.snapshot(), sources, now);
    await this.db.searchSnapshots.put({ name: snapshotName(this.model), value });
  }

  /** Saves when the index changed since the last save and the last one is old enough; true if it saved. */
  async saveIfDue(index: VectorIndex<M>, now = Date.now()): Promise<boolean> {
    if (!this.changed || now - this.lastSaved < (this.o.minSaveIntervalMs ?? 5 * 60_000)) return false;
    try {
      await this.save(index, now);
      return true;
    } catch (error) {
      this.changed = true;
      throw error;
    }
  }
}
