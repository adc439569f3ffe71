import type { Page } from 'puppeteer-core';
import type { ExtensionBrowser } from './browser';
import { waitFor, type WaitOptions } from './wait';

/** The IndexedDB database the extension keeps (extension/db/database.ts). */
export const DB_NAME = 'calicolobster';
export type Table = 'visits' | 'pages' | 'searches' | 'highlights' | 'settings' | 'changes';

const readers = new WeakMap<ExtensionBrowser, Page>();

/**
 * A tab on an extension page (same origin as the extension's IndexedDB) that the suite reads the
 * database through. Raw IndexedDB, not Dexie: the test sees exactly what is stored, independent of the
 * code under test.
 */
async function reader(eb: ExtensionBrowser): Promise<Page> {
  const existing = readers.get(eb);
  if (existing && !existing.isClosed()) return existing;
  const page = await eb.browser.newPage();
  await page.goto(eb.extensionUrl('manifest.json'), { waitUntil: 'load', timeout: 90_000 });
  readers.set(eb, page);
  return page;
}

/**
 * Every row of one object store, read from `page` (any extension page: same origin as the database).
 * An empty list while the database or the store doesn't exist yet — and the database is never opened
 * before the extension made it, so the test can't create it at the wrong version.
 */
export async function readStoreIn<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    async (dbName: string, storeName: string) => {
      const known = await indexedDB.databases();
      if (!known.some((d) => d.name === dbName)) return [];
      return new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onblocked = () => reject(new Error('blocked'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            resolve([]);
            return;
          }
          const get = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
          get.onsuccess = () => {
            db.close();
            resolve(get.result);
          };
          get.onerror = () => {
            db.close();
            reject(get.error);
          };
        };
      });
    },
    DB_NAME,
    store,
  ) as Promise<T[]>;
}

/** Writes rows into one object store as the extension would have, from `page` (any extension page);
 * the database must already exist (open an extension page first), so its version is the extension's. */
export async function putRowsIn(page: Page, store: string, rows: readonly unknown[]): Promise<void> {
  await page.evaluate(
    async (dbName: string, storeName: string, values: unknown[]) => {
      const open = indexedDB.open(dbName);
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(storeName, 'readwrite');
      for (const value of values) tx.objectStore(storeName).put(value);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    DB_NAME,
    store,
    rows as unknown[],
  );
}

/** Every row of one table (an empty list while the database or table doesn't exist yet). */
export async function readTable<T = Record<string, unknown>>(eb: ExtensionBrowser, table: Table): Promise<T[]> {
  return readStoreIn<T>(await reader(eb), table);
}

/** Polls a table until `accept` holds for its rows; returns them. */
export function waitForRows<T = Record<string, unknown>>(
  eb: ExtensionBrowser,
  table: Table,
  accept: (rows: T[]) => boolean,
  options: WaitOptions = {},
): Promise<T[]> {
  return waitFor(() => readTable<T>(eb, table), accept, { message: `rows in ${table}`, ...options });
}

// Shapes of the stored rows the suite looks at (shared/schemas/records.ts is the full contract).
export interface VisitRow {
  id: string;
  url: string;
  site: string;
  title: string;
  referrer: string | null;
  searchId: string | null;
  transition: 'load' | 'spa';
  startedAt: number;
  endedAt: number;
  activeMs: number;
}
export interface PageRow {
  url: string;
  site: string;
  title: string;
  text: string;
  wordCount: number;
}
export interface SearchRow {
  id: string;
  engine: string;
  query: string;
  url: string;
  site: string;
}
export interface HighlightRow {
  id: string;
  url: string;
  text: string;
  color: string;
  note: string;
  anchorStatus: 'pending' | 'anchored' | 'orphan';
  pageTitle: string;
}
export interface SettingRow {
  key: string;
  value: unknown;
}
