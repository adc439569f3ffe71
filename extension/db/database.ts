import Dexie, { type EntityTable } from 'dexie';
import type { Highlight, Page, Search, Visit } from '@shared/schemas/records';
import type { Conversation, Feedback } from '@shared/schemas/assistant';
import type { Review, SyntheticPair } from '@shared/schemas/curation';
import type { EvalRunRow } from '@/curation/evaluation/eval-run';
import type { PriceObservation, ProductRecord } from '@shared/schemas/products';
import type { ImageRecord } from '@shared/schemas/images';

/**
 * The one place that names IndexedDB tables. Every extension page, the background and the offscreen
 * document open this same database (extension origin); content scripts never do — they message the
 * background instead.
 */

/** The tables whose rows are user data: mutated only through change-log.ts so every change is logged. */
export const RECORD_TABLES = ['visits', 'pages', 'searches', 'highlights', 'settings', 'conversations', 'feedback', 'reviews', 'products', 'priceObservations', 'images', 'syntheticPairs'] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];

export interface SettingRow {
  key: string;
  value: unknown;
  updatedAt: number;
}

/** One entry per mutation of a record table, in commit order. Consumers (keyword index, sync, embedder)
 * keep their own cursor and replay from it, so none of them can miss a change or need the writer to
 * know they exist. */
export interface ChangeRow {
  seq?: number;
  table: RecordTable;
  key: string;
  op: 'put' | 'delete';
  at: number;
  /** 'sync': the sync puller wrote this change (a record pulled from the worker). Other consumers treat
   * it like any change; the sync outbox skips it so pulled changes are never pushed back as new ones. */
  origin?: 'sync';
}

export interface CursorRow {
  name: string;
  seq: number;
}

/** Small persisted state of features (keyword-index snapshot, tab journeys, sync state, …). */
export interface StateRow {
  key: string;
  value: unknown;
}

/** What the embedder indexes: a page's text or a highlight (its text plus note). */
export type ChunkSourceKind = 'page' | 'highlight';

/** One embedded chunk: an int8 vector with its scale (value ≈ vector[i] * scale), one row per chunk.
 * `model` records which encoder made it, so a model change can find and re-embed stale rows. */
export interface ChunkRow {
  id: string;
  sourceKind: ChunkSourceKind;
  sourceId: string;
  model: string;
  ordinal: number;
  text: string;
  vector: Int8Array;
  scale: number;
  url: string;
  site: string;
  title: string;
  /** When the source was made (highlight) or captured (page): the side panel's date filters use it. */
  at: number;
}

/** A source waiting to be (re-)embedded. Removed only in the transaction that commits its vectors, so a
 * document or browser that dies mid-batch leaves the item here to be picked up again. */
export interface EmbedQueueRow {
  key: string;
  sourceKind: ChunkSourceKind;
  sourceId: string;
  enqueuedAt: number;
  attempts: number;
  lastError?: string;
}

/** What is embedded for one source: lets the queue skip unchanged text and count progress cheaply. */
export interface EmbeddedSourceRow {
  key: string;
  sourceKind: ChunkSourceKind;
  sourceId: string;
  model: string;
  hash: string;
  chunkCount: number;
  embeddedAt: number;
}

export type CalicoDb = Dexie & {
  visits: EntityTable<Visit, 'id'>;
  pages: EntityTable<Page, 'url'>;
  searches: EntityTable<Search, 'id'>;
  highlights: EntityTable<Highlight, 'id'>;
  settings: EntityTable<SettingRow, 'key'>;
  changes: EntityTable<ChangeRow, 'seq'>;
  cursors: EntityTable<CursorRow, 'name'>;
  state: EntityTable<StateRow, 'key'>;
  chunks: EntityTable<ChunkRow, 'id'>;
  embedQueue: EntityTable<EmbedQueueRow, 'key'>;
  embeddedSources: EntityTable<EmbeddedSourceRow, 'key'>;
  conversations: EntityTable<Conversation, 'id'>;
  feedback: EntityTable<Feedback, 'id'>;
  syncQuarantine: EntityTable<QuarantineRow, 'id'>;
  reviews: EntityTable<Review, 'id'>;
  products: EntityTable<ProductRecord, 'id'>;
  priceObservations: EntityTable<PriceObservation, 'id'>;
  images: EntityTable<ImageRecord, 'id'>;
  syntheticPairs: EntityTable<SyntheticPair, 'id'>;
  evalRuns: EntityTable<EvalRunRow, 'id'>;
  chunkHashes: EntityTable<ChunkHashRow, 'id'>;
  searchSnapshots: EntityTable<SearchSnapshotRow, 'name'>;
};

/** The text hash of every chunk the embedder passed (embedded or skipped as boilerplate), so unchanged
 * text is never embedded twice and text repeated across a site's pages is recognised (ai/chunk-plan.ts). */
export interface ChunkHashRow {
  /** The chunk's id (`kind:key#ordinal`). */
  id: string;
  /** SHA-256 prefix of the chunk's text as the model reads it. */
  hash: string;
  site: string;
  /** The source's key (`kind:key`), so its rows go with it. */
  sourceKey: string;
  /** Skipped: the same text is on enough other pages of the site to be navigation, banner or footer. */
  boilerplate: boolean;
}

/** A change the sync server refused (4xx): kept here, shown in the sync panel with the server's reason,
 * and pushed again from the record's current state after `retryAt` or when the person asks. */
export interface QuarantineRow {
  /** `<kind>:<key>`: one entry per record. */
  id: string;
  kind: string;
  key: string;
  /** The server's reason, as it said it. */
  reason: string;
  /** HTTP status of the refusal. */
  status: number;
  /** When it was first refused, and how many times since. */
  at: number;
  attempts: number;
  retryAt: number;
}

/** A search index saved whole (extension/search/persist/): one row, read in one go when a page opens.
 * `value`'s shape belongs to the module that wrote it (it checks its own version). */
export interface SearchSnapshotRow {
  name: string;
  value: unknown;
}

export const DB_NAME = 'calicolobster';

export function createDb(name = DB_NAME): CalicoDb {
  const db = new Dexie(name) as CalicoDb;
  db.version(1).stores({
    visits: 'id, url, site, startedAt, updatedAt, searchId',
    pages: 'url, site, capturedAt, updatedAt',
    searches: 'id, query, site, createdAt, updatedAt',
    highlights: 'id, url, site, createdAt, updatedAt, anchorStatus',
    settings: 'key',
    changes: '++seq, [table+key], at',
    cursors: 'name',
    state: 'key',
    chunks: 'id, [sourceKind+sourceId], model',
    embedQueue: 'key, enqueuedAt',
    embeddedSources: 'key, model',
  });
  // Each feature that adds tables takes the next version; Dexie only needs the tables a version adds.
  db.version(2).stores({
    conversations: 'id, updatedAt, scope',
    feedback: 'id, createdAt, subjectId, conversationId, action, rating',
  });
  // Shopping (issue 12): products seen on store pages and one price observation per visit.
  db.version(4).stores({
    products: 'id, storeDomain, gtin, mpn, lastSeenAt, updatedAt',
    priceObservations: 'id, productId, seenAt, updatedAt',
  });
  // Sync: changes the server refused, kept until they go through (extension/sync/quarantine.ts).
  db.version(3).stores({
    syncQuarantine: 'id, retryAt',
  });
  // The data loop's review decisions (extension/curation).
  db.version(5).stores({
    reviews: 'id, subjectId, decision, decidedAt',
  });
  // Generative images (issue 10): what made each image (prompt, model, size), never its bytes.
  db.version(6).stores({
    images: 'id, createdAt, updatedAt',
  });
  // The data loop: generated QA pairs (synced) and this device's personal evaluation runs (local: they
  // measure this device's search index).
  db.version(7).stores({
    syntheticPairs: 'id, sourceId, generator, createdAt, updatedAt',
    evalRuns: 'id, at',
  });
  // Embedding throughput (issue 15): chunk text hashes, to reuse vectors and skip a site's boilerplate.
  db.version(11).stores({
    chunkHashes: 'id, hash, [site+hash], sourceKey',
  });
  // Cold start (issue 15): the vector index saved as a few typed arrays, loaded in one read.
  db.version(14).stores({
    searchSnapshots: 'name',
  });
  return db;
}

let shared: CalicoDb | undefined;

/** The database of this extension context, opened on first use. */
export function getDb(): CalicoDb {
  shared ??= createDb();
  return shared;
}

/** Tests swap in a database of their own (fake-indexeddb or a throwaway name). */
export function setDbForTesting(db: CalicoDb | undefined): void {
  shared = db;
}
