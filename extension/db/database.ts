import Dexie, { type EntityTable } from 'dexie';
import type { Highlight, Page, Search, Visit } from '@shared/schemas/records';

/**
 * The one place that names IndexedDB tables. Every extension page, the background and the offscreen
 * document open this same database (extension origin); content scripts never do — they message the
 * background instead.
 */

/** The tables whose rows are user data: mutated only through change-log.ts so every change is logged. */
export const RECORD_TABLES = ['visits', 'pages', 'searches', 'highlights', 'settings'] as const;
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

export type CalicoDb = Dexie & {
  visits: EntityTable<Visit, 'id'>;
  pages: EntityTable<Page, 'url'>;
  searches: EntityTable<Search, 'id'>;
  highlights: EntityTable<Highlight, 'id'>;
  settings: EntityTable<SettingRow, 'key'>;
  changes: EntityTable<ChangeRow, 'seq'>;
  cursors: EntityTable<CursorRow, 'name'>;
  state: EntityTable<StateRow, 'key'>;
};

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
