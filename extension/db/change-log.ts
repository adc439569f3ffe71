import { RECORD_SCHEMAS } from '@shared/schemas/sync';
import { getDb, type CalicoDb, type ChangeRow, type RecordTable } from './database';
import { toStorageError } from './storage-error';

/**
 * All writes to record tables go through here: the rows and their change-log entries commit in one
 * transaction, so a consumer replaying the log (keyword index, sync outbox, embedding queue) sees every
 * change exactly once, even if the service worker dies between two writes.
 */

type Row = Record<string, unknown>;

export interface WriteOptions {
  /** Marks the logged changes (see ChangeRow.origin); the sync puller passes 'sync'. */
  origin?: ChangeRow['origin'];
}

function keyOf(table: RecordTable, row: Row): string {
  const key = table === 'pages' ? row.url : table === 'settings' ? row.key : row.id;
  if (typeof key !== 'string' || !key) throw new TypeError(`record for ${table} has no key`);
  return key;
}

export class InvalidSettingError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`The setting ${JSON.stringify(key.slice(0, 64))} can't be saved: ${reason}`);
    this.name = 'InvalidSettingError';
  }
}

/** Settings are free-form JSON: they are checked here with the bounds sync uses, so this device never
 * saves a setting the sync server would refuse (or one nested deep enough to overflow a parser). */
function checkSettings(table: RecordTable, rows: readonly Row[]): void {
  if (table !== 'settings') return;
  for (const row of rows) {
    const parsed = RECORD_SCHEMAS.setting.safeParse(row);
    if (!parsed.success) throw new InvalidSettingError(String(row.key ?? ''), parsed.error.issues[0]?.message ?? 'invalid');
  }
}

/** Inserts or replaces rows and logs one change per row. */
export async function putRecords<T extends Row>(table: RecordTable, rows: readonly T[], db: CalicoDb = getDb(), options: WriteOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  checkSettings(table, rows);
  const at = Date.now();
  const changes = rows.map((row): ChangeRow => ({ table, key: keyOf(table, row), op: 'put', at, ...(options.origin ? { origin: options.origin } : {}) }));
  try {
    await db.transaction('rw', db.table(table), db.changes, async () => {
      await db.table(table).bulkPut(rows as T[]);
      await db.changes.bulkAdd(changes);
    });
  } catch (error) {
    throw toStorageError(error);
  }
}

/** Reads a row, lets `update` change it, and writes it back with its change — atomically. Returns the
 * new row, or undefined when there was no such row. */
export async function updateRecord<T extends Row>(
  table: RecordTable,
  key: string,
  update: (row: T) => T | undefined,
  db: CalicoDb = getDb(),
): Promise<T | undefined> {
  try {
    return await db.transaction('rw', db.table(table), db.changes, async () => {
      const current = (await db.table(table).get(key)) as T | undefined;
      if (!current) return undefined;
      const next = update(current);
      if (!next) return current;
      checkSettings(table, [next]);
      await db.table(table).put(next);
      await db.changes.add({ table, key, op: 'put', at: Date.now() });
      return next;
    });
  } catch (error) {
    throw toStorageError(error);
  }
}

/** Deletes rows by key and logs one delete per key that existed. */
export async function deleteRecords(table: RecordTable, keys: readonly string[], db: CalicoDb = getDb(), options: WriteOptions = {}): Promise<number> {
  if (keys.length === 0) return 0;
  const at = Date.now();
  try {
    return await db.transaction('rw', db.table(table), db.changes, async () => {
      const existing = (await db.table(table).bulkGet(keys as string[])).map((row, i) => (row ? keys[i]! : undefined));
      const present = existing.filter((k): k is string => k !== undefined);
      await db.table(table).bulkDelete(present);
      await db.changes.bulkAdd(present.map((key): ChangeRow => ({ table, key, op: 'delete', at, ...(options.origin ? { origin: options.origin } : {}) })));
      return present.length;
    });
  } catch (error) {
    throw toStorageError(error);
  }
}

/** Changes after `seq`, oldest first. */
export async function changesSince(seq: number, limit = 1000, db: CalicoDb = getDb()): Promise<ChangeRow[]> {
  return db.changes.where('seq').above(seq).limit(limit).toArray();
}

export async function readCursor(name: string, db: CalicoDb = getDb()): Promise<number> {
  return (await db.cursors.get(name))?.seq ?? 0;
}

export async function writeCursor(name: string, seq: number, db: CalicoDb = getDb()): Promise<void> {
  await db.cursors.put({ name, seq });
}

/** Drops log entries every registered consumer has read (the scheduled compaction, which also lets a
 * rebuildable consumer that lags too far go, is compaction.ts compactChangeLog). */
export async function compactChanges(db: CalicoDb = getDb()): Promise<number> {
  const cursors = await db.cursors.toArray();
  if (cursors.length === 0) return 0;
  const floor = Math.min(...cursors.map((c) => c.seq));
  return db.changes.where('seq').belowOrEqual(floor).delete();
}
