import { afterEach, beforeEach } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setDbForTesting, type CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from './test-db';

/**
 * For a test of a Pinia store that reads the extension's database: each test gets a throwaway database
 * as the app's and a fresh Pinia. `beforeDrop` runs first on teardown, for a store that holds the
 * database open (the search store's keyword index). Call at the top of a test file or describe.
 */
export function useStoreTestDb(name?: string, beforeDrop?: () => Promise<void> | void): () => CalicoDb {
  let db: CalicoDb | undefined;
  beforeEach(async () => {
    db = await openTestDb(name);
    setDbForTesting(db);
    setActivePinia(createPinia());
  });
  afterEach(async () => {
    await beforeDrop?.();
    setDbForTesting(undefined);
    if (db) await dropTestDb(db);
    db = undefined;
  });
  return () => {
    if (!db) throw new Error('the test database opens in beforeEach');
    return db;
  };
}
