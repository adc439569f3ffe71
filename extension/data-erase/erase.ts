import { getDb, type CalicoDb } from '@/db/database';
import { deleteRecords } from '@/db/change-log';
import { eraseProducts } from '@/shopping/memory/erase-products';

/**
 * Deleting captured data. Deletes go through the change log, so the keyword index, the embeddings and
 * sync all forget the rows too. Settings (denylist, pause) are the user's choices, not captured data,
 * and stay.
 */

export const CAPTURED_TABLES = ['visits', 'pages', 'searches', 'highlights'] as const;
export type CapturedTable = (typeof CAPTURED_TABLES)[number];
export type EraseCounts = Record<CapturedTable, number>;

/** The host named by user input: a bare host ("example.com") or any URL on it. */
export function hostOf(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`);
    return url.host || undefined;
  } catch {
    return undefined;
  }
}

async function deleteKeys(table: CapturedTable, keys: string[], db: CalicoDb): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 500) deleted += await deleteRecords(table, keys.slice(i, i + 500), db);
  return deleted;
}

/** Deletes every visit, page, search and highlight of a host (and of its www. twin: people type either). */
export async function deleteSite(input: string, db: CalicoDb = getDb()): Promise<EraseCounts> {
  const host = hostOf(input);
  if (!host) throw new Error(`“${input}” is not a site`);
  const hosts = host.startsWith('www.') ? [host, host.slice(4)] : [host, `www.${host}`];
  const counts = {} as EraseCounts;
  for (const table of CAPTURED_TABLES) {
    const keys = (await db.table(table).where('site').anyOf(hosts).primaryKeys()) as string[];
    counts[table] = await deleteKeys(table, keys, db);
  }
  // Products seen on the site's store pages, with their price history (issue 12).
  await eraseProducts(hosts, db);
  return counts;
}

export async function deleteEverything(db: CalicoDb = getDb()): Promise<EraseCounts> {
  const counts = {} as EraseCounts;
  for (const table of CAPTURED_TABLES) {
    const keys = (await db.table(table).toCollection().primaryKeys()) as string[];
    counts[table] = await deleteKeys(table, keys, db);
  }
  await eraseProducts(null, db);
  return counts;
}
