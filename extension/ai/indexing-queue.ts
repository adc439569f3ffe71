import { sourceId } from '@/search/source-id';
import type { Highlight, Page } from '@shared/schemas/records';
import { getDb, type CalicoDb, type ChunkHashRow, type ChunkRow, type ChunkSourceKind, type EmbedQueueRow } from '@/db/database';
import { planChunks, textHash } from './chunk-plan';

/**
 * The durable embedding queue. It follows the change log with its own cursor ('embedder'), turns each
 * changed page or highlight into a work item in `embedQueue`, and embeds items in small batches.
 *
 * Durability is by construction rather than by care:
 * - moving the cursor and enqueuing the items it passed over is one transaction;
 * - an item leaves the queue only in the transaction that writes its chunks, so an offscreen document
 *   (or a browser) that dies mid-batch leaves the item queued and the next run redoes it;
 * - an item re-enqueued while it was being embedded (the text changed again) stays queued.
 */

export const EMBEDDER_CURSOR = 'embedder';
const PROGRESS_KEY = 'embedder.progress';
const STATUS_KEY = 'embedder.status';
/** Settings key holding the id of the embedding model the user chose. */
export const MODEL_SETTING = 'ai.embeddingModel';
/** Items that failed this often wait until the next model change or restart of the document. */
const MAX_ATTEMPTS = 4;

export interface TextChunk {
  text: string;
}

/** What the queue needs from the AI pieces; injected so tests (and a model change) can swap them. */
export interface QueueDeps {
  /** Id of the model `embed` runs, recorded on every vector. */
  model: string;
  /** Cuts a source's text into chunks that fit the model's window. */
  chunk: (text: string) => TextChunk[];
  /** L2-normalised embeddings, one per text. */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  /** int8 vector plus the scale that restores it (value ≈ q[i] * scale). */
  quantize: (vector: Float32Array) => { q: Int8Array; scale: number };
  /** Told after every commit, so an in-memory vector index can follow without re-reading everything. */
  onCommit?: (change: { sourceKind: ChunkSourceKind; sourceId: string; added: ChunkRow[] }) => void;
  /** Texts per embed call: small, so a query waiting on the same embedder never waits long. */
  batchSize?: number;
}

export interface IndexingProgress {
  /** Items finished in the current run of work (resets when the queue drains). */
  done: number;
  /** Items in the current run of work. */
  total: number;
  /** Items still queued. */
  pending: number;
  /** Items that failed repeatedly and wait for a restart (counted in pending too). */
  failed: number;
  /** Sources (pages + highlights) embedded with the current model. */
  indexed: number;
  model: string | null;
  state: 'idle' | 'indexing' | 'error';
  error: string | null;
}

interface StoredProgress {
  done: number;
  total: number;
}
interface StoredStatus {
  state: IndexingProgress['state'];
  error: string | null;
  model: string | null;
  at: number;
}

export const sourceKey = (kind: ChunkSourceKind, id: string): string => sourceId(kind, id);

function kindOfTable(table: string): ChunkSourceKind | undefined {
  return table === 'pages' ? 'page' : table === 'highlights' ? 'highlight' : undefined;
}

/** The text embedded for a source; the title/note ride along because people search by them too. */
export function sourceText(kind: ChunkSourceKind, row: Page | Highlight): string {
  if (kind === 'page') {
    const page = row as Page;
    return [page.title, page.text].filter(Boolean).join('\n\n');
  }
  const highlight = row as Highlight;
  return [highlight.text, highlight.note].filter(Boolean).join('\n\n');
}

function sourceMeta(kind: ChunkSourceKind, row: Page | Highlight): Pick<ChunkRow, 'url' | 'site' | 'title' | 'at'> {
  if (kind === 'page') {
    const page = row as Page;
    return { url: page.url, site: page.site, title: page.title, at: page.capturedAt };
  }
  const highlight = row as Highlight;
  return { url: highlight.url, site: highlight.site, title: highlight.pageTitle, at: highlight.createdAt };
}

async function hashOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class IndexingQueue {
  constructor(
    private readonly deps: QueueDeps,
    private readonly db: CalicoDb = getDb(),
  ) {}

  get model(): string {
    return this.deps.model;
  }

  /**
   * Moves the 'embedder' cursor over the change log and queues every page/highlight it passes. The very
   * first run (no cursor yet) queues everything that exists, since the log may have been compacted
   * before this consumer registered. Returns how many items were newly queued.
   */
  async pullChanges(limit = 500): Promise<number> {
    const db = this.db;
    return db.transaction('rw', [db.changes, db.cursors, db.embedQueue, db.state, db.pages, db.highlights], async () => {
      const cursor = await db.cursors.get(EMBEDDER_CURSOR);
      const keys = new Map<string, { kind: ChunkSourceKind; id: string }>();
      let seq = cursor?.seq ?? 0;
      if (!cursor) {
        const last = await db.changes.orderBy('seq').last();
        seq = last?.seq ?? 0;
        for (const url of await db.pages.toCollection().primaryKeys()) keys.set(sourceKey('page', url), { kind: 'page', id: url });
        for (const id of await db.highlights.toCollection().primaryKeys()) keys.set(sourceKey('highlight', id), { kind: 'highlight', id });
      } else {
        const changes = await db.changes.where('seq').above(seq).limit(limit).toArray();
        for (const change of changes) {
          seq = change.seq ?? seq;
          const kind = kindOfTable(change.table);
          if (kind) keys.set(sourceKey(kind, change.key), { kind, id: change.key });
        }
      }
      const added = await this.enqueueInTx([...keys.entries()]);
      await db.cursors.put({ name: EMBEDDER_CURSOR, seq });
      return added;
    });
  }

  /** Queues every source whose vectors came from another model (the user switched models). */
  async enqueueStale(): Promise<number> {
    const db = this.db;
    return db.transaction('rw', [db.embeddedSources, db.embedQueue, db.state], async () => {
      const stale = await db.embeddedSources.where('model').notEqual(this.deps.model).toArray();
      return this.enqueueInTx(stale.map((row) => [row.key, { kind: row.sourceKind, id: row.sourceId }]));
    });
  }

  private async enqueueInTx(entries: [string, { kind: ChunkSourceKind; id: string }][]): Promise<number> {
    if (entries.length === 0) return 0;
    const db = this.db;
    const existing = await db.embedQueue.bulkGet(entries.map(([key]) => key));
    const now = Date.now();
    // A re-queued item gets a new enqueuedAt even when already queued: that is how a batch in flight
    // learns its text went stale and must not drop the item.
    await db.embedQueue.bulkPut(
      entries.map(([key, { kind, id }], i): EmbedQueueRow => ({
        key,
        sourceKind: kind,
        sourceId: id,
        enqueuedAt: Math.max(now, (existing[i]?.enqueuedAt ?? 0) + 1),
        attempts: 0,
      })),
    );
    const fresh = existing.filter((row) => !row).length;
    if (fresh > 0) {
      const progress = ((await db.state.get(PROGRESS_KEY))?.value as StoredProgress | undefined) ?? { done: 0, total: 0 };
      await db.state.put({ key: PROGRESS_KEY, value: { done: progress.done, total: progress.total + fresh } });
    }
    return fresh;
  }

  /**
   * Embeds up to `maxItems` queued sources and commits each with its queue removal. Returns how many
   * items were finished (embedded, skipped as unchanged, or removed because their source is gone).
   */
  async runBatch(maxItems = 4): Promise<number> {
    const db = this.db;
    const items = (await db.embedQueue.orderBy('enqueuedAt').limit(maxItems * 4).toArray())
      .filter((item) => item.attempts < MAX_ATTEMPTS)
      .slice(0, maxItems);
    let finished = 0;
    for (const item of items) {
      try {
        await this.processItem(item);
        finished++;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await db.embedQueue.update(item.key, { attempts: item.attempts + 1, lastError: message });
        await this.setStatus('error', message);
        throw error;
      }
    }
    if (finished > 0) {
      const left = await db.embedQueue.count();
      if (left === 0) await db.state.put({ key: PROGRESS_KEY, value: { done: 0, total: 0 } });
      await this.setStatus(left === 0 ? 'idle' : 'indexing');
    }
    return finished;
  }

  private async processItem(item: EmbedQueueRow): Promise<void> {
    const db = this.db;
    const source = item.sourceKind === 'page' ? await db.pages.get(item.sourceId) : await db.highlights.get(item.sourceId);
    if (!source) {
      await this.commit(item, [], null);
      return;
    }
    const text = sourceText(item.sourceKind, source);
    const meta = sourceMeta(item.sourceKind, source);
    const hash = await hashOf(`${this.deps.model}\n${meta.title}\n${meta.at}\n${text}`);
    const previous = await db.embeddedSources.get(item.key);
    if (previous && previous.hash === hash && previous.model === this.deps.model) {
      await this.commit(item, undefined, null);
      return;
    }
    const pieces = this.deps.chunk(text).filter((c) => c.text.trim());
    // Only text no vector exists for is embedded; a site's repeated boilerplate is not (chunk-plan.ts).
    const hashes = await Promise.all(pieces.map((c) => textHash(c.text)));
    const plan = await planChunks(db, { sourceKind: item.sourceKind, sourceKey: item.key, site: meta.site, model: this.deps.model, hashes });
    const vectors = new Map<number, { q: Int8Array; scale: number }>();
    plan.forEach((action, i) => {
      if (action.kind === 'reuse') vectors.set(i, { q: action.vector, scale: action.scale });
    });
    const todo = plan.flatMap((action, i) => (action.kind === 'embed' ? [i] : []));
    const batchSize = this.deps.batchSize ?? 16;
    for (let start = 0; start < todo.length; start += batchSize) {
      const slice = todo.slice(start, start + batchSize);
      const embedded = await this.deps.embed(slice.map((i) => pieces[i]!.text));
      if (embedded.length !== slice.length) throw new Error(`embedder returned ${embedded.length} vectors for ${slice.length} texts`);
      embedded.forEach((vector, j) => vectors.set(slice[j]!, this.deps.quantize(vector)));
    }
    const rows: ChunkRow[] = [];
    const hashRows: ChunkHashRow[] = [];
    pieces.forEach((piece, i) => {
      const id = `${item.key}#${i}`;
      const q = vectors.get(i);
      hashRows.push({ id, hash: hashes[i]!, site: meta.site, sourceKey: item.key, boilerplate: !q });
      if (!q) return;
      rows.push({
        id,
        sourceKind: item.sourceKind,
        sourceId: item.sourceId,
        model: this.deps.model,
        ordinal: i,
        text: piece.text,
        vector: q.q,
        scale: q.scale,
        ...meta,
      });
    });
    await this.commit(item, rows, hash, hashRows);
  }

  /** rows: the new chunks (undefined = unchanged, keep the old ones; [] with hash null = source gone). */
  private async commit(item: EmbedQueueRow, rows: ChunkRow[] | undefined, hash: string | null, hashRows: ChunkHashRow[] = []): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.chunks, db.chunkHashes, db.embeddedSources, db.embedQueue, db.state], async () => {
      if (rows) {
        await db.chunks.where('[sourceKind+sourceId]').equals([item.sourceKind, item.sourceId]).delete();
        await db.chunkHashes.where('sourceKey').equals(item.key).delete();
        if (hash === null) await db.embeddedSources.delete(item.key);
        else {
          await db.chunks.bulkPut(rows);
          await db.chunkHashes.bulkPut(hashRows);
          await db.embeddedSources.put({
            key: item.key,
            sourceKind: item.sourceKind,
            sourceId: item.sourceId,
            model: this.deps.model,
            hash,
            chunkCount: rows.length,
            embeddedAt: Date.now(),
          });
        }
      }
      const current = await db.embedQueue.get(item.key);
      if (current && current.enqueuedAt === item.enqueuedAt) {
        await db.embedQueue.delete(item.key);
        const progress = ((await db.state.get(PROGRESS_KEY))?.value as StoredProgress | undefined) ?? { done: 0, total: 0 };
        await db.state.put({ key: PROGRESS_KEY, value: { done: progress.done + 1, total: Math.max(progress.total, progress.done + 1) } });
      }
    });
    if (rows) this.deps.onCommit?.({ sourceKind: item.sourceKind, sourceId: item.sourceId, added: rows });
  }

  async setStatus(state: IndexingProgress['state'], error: string | null = null): Promise<void> {
    const value: StoredStatus = { state, error, model: this.deps.model, at: Date.now() };
    await this.db.state.put({ key: STATUS_KEY, value });
  }

  /** Gives items that failed too often one more try (called when a new document starts). */
  async retryFailed(): Promise<void> {
    await this.db.embedQueue.filter((item) => item.attempts >= MAX_ATTEMPTS).modify({ attempts: MAX_ATTEMPTS - 1 });
  }

  /** True when the change log has entries past the cursor or items are waiting. */
  async hasWork(): Promise<boolean> {
    const db = this.db;
    const cursor = await db.cursors.get(EMBEDDER_CURSOR);
    if (!cursor) return true;
    if ((await db.changes.where('seq').above(cursor.seq).count()) > 0) return true;
    const runnable = await db.embedQueue.filter((item) => item.attempts < MAX_ATTEMPTS).count();
    return runnable > 0;
  }
}

/** Progress as the side panel shows it; reads only the database, so any extension page can call it. */
export async function readProgress(db: CalicoDb = getDb()): Promise<IndexingProgress> {
  return db.transaction('r', [db.state, db.embedQueue, db.embeddedSources], async () => {
    const progress = ((await db.state.get(PROGRESS_KEY))?.value as StoredProgress | undefined) ?? { done: 0, total: 0 };
    const status = (await db.state.get(STATUS_KEY))?.value as StoredStatus | undefined;
    const pending = await db.embedQueue.count();
    const failed = await db.embedQueue.filter((item) => item.attempts >= MAX_ATTEMPTS).count();
    const model = status?.model ?? null;
    const indexed = model ? await db.embeddedSources.where('model').equals(model).count() : await db.embeddedSources.count();
    const state = status?.state === 'error' ? 'error' : pending > failed ? 'indexing' : 'idle';
    return {
      done: progress.done,
      total: Math.max(progress.total, progress.done + pending),
      pending,
      failed,
      indexed,
      model,
      state,
      error: status?.state === 'error' ? status.error : null,
    };
  });
}
