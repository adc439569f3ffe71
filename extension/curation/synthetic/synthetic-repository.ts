import type { SyntheticPair } from '@shared/schemas/curation';
import { putRecords } from '@/db/change-log';
import { getDb, type CalicoDb } from '@/db/database';
import type { SyntheticSource } from './generate';

/**
 * Generated pairs, through the change log (so they sync and every device's queue has them). A pair
 * already stored is never overwritten: regenerating must not undo what a reviewer saw.
 */
export async function saveNewPairs(pairs: readonly SyntheticPair[], db: CalicoDb = getDb()): Promise<SyntheticPair[]> {
  if (pairs.length === 0) return [];
  const existing = new Set((await db.syntheticPairs.bulkGet(pairs.map((p) => p.id))).filter(Boolean).map((p) => p!.id));
  const fresh = pairs.filter((p) => !existing.has(p.id));
  await putRecords('syntheticPairs', fresh, db);
  return fresh;
}

export async function listPairs(db: CalicoDb = getDb()): Promise<SyntheticPair[]> {
  return db.syntheticPairs.toArray();
}

/** The newest highlights, then pages, that have no generated pair yet (at most `limit`). */
export async function sourcesWithoutPairs(limit: number, db: CalicoDb = getDb()): Promise<SyntheticSource[]> {
  const done = new Set((await db.syntheticPairs.toArray()).map((p) => `${p.sourceKind}:${p.sourceId}`));
  const out: SyntheticSource[] = [];
  for (const h of await db.highlights.orderBy('createdAt').reverse().toArray()) {
    if (out.length >= limit) return out;
    if (!done.has(`highlight:${h.id}`)) out.push({ kind: 'highlight', id: h.id, title: h.pageTitle, url: h.url, text: h.text });
  }
  for (const p of await db.pages.orderBy('capturedAt').reverse().toArray()) {
    if (out.length >= limit) return out;
    if (p.text.trim() && !done.has(`page:${p.url}`)) out.push({ kind: 'page', id: p.url, title: p.title, url: p.url, text: p.text });
  }
  return out;
}
