import Dexie from 'dexie';
import { createDb, type CalicoDb } from '@/db/database';

/**
 * A throwaway database per test (fake-indexeddb in unit tests): a unique name, so tests running in one
 * worker never see each other's rows, and `drop` deletes it again.
 */
export async function openTestDb(prefix = 'test'): Promise<CalicoDb> {
  const db = createDb(`${prefix}-${Math.random().toString(36).slice(2)}`);
  await db.open();
  return db;
}

export async function dropTestDb(db: CalicoDb): Promise<void> {
  db.close();
  await Dexie.delete(db.name);
}
