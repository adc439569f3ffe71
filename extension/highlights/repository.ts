import { Highlight, type AnchorStatus, type HighlightColor } from '@shared/schemas/records';
import { getDb, type CalicoDb } from '@/db/database';
import { deleteRecords, putRecords, updateRecord } from '@/db/change-log';
import { signalHighlightsChanged } from './change-signal';

/**
 * Reading and writing highlights. Every surface (content script via the background, side panel,
 * options) goes through these functions so validation and change logging happen in one place.
 */

export type NewHighlight = Omit<Highlight, 'createdAt' | 'updatedAt' | 'anchorStatus' | 'note'> & { note?: string };

export async function createHighlight(input: NewHighlight, db: CalicoDb = getDb()): Promise<Highlight> {
  const now = Date.now();
  const highlight = Highlight.parse({ ...input, anchorStatus: 'anchored', createdAt: now, updatedAt: now });
  await putRecords('highlights', [highlight], db);
  void signalHighlightsChanged(highlight.url);
  return highlight;
}

export async function updateHighlight(
  id: string,
  patch: { color?: HighlightColor; note?: string },
  db: CalicoDb = getDb(),
): Promise<Highlight> {
  const updated = await updateRecord<Highlight>(
    'highlights',
    id,
    (row) => Highlight.parse({ ...row, ...definedOnly(patch), updatedAt: Date.now() }),
    db,
  );
  if (!updated) throw Object.assign(new Error(`no highlight ${id}`), { code: 'not-found' });
  void signalHighlightsChanged(updated.url);
  return updated;
}

export async function deleteHighlight(id: string, db: CalicoDb = getDb()): Promise<boolean> {
  const existing = await db.highlights.get(id);
  const deleted = (await deleteRecords('highlights', [id], db)) > 0;
  if (deleted && existing) void signalHighlightsChanged(existing.url);
  return deleted;
}

/** Puts a deleted highlight back as it was (the side panel's Undo). Stamped now, so the restore is the
 * newest change and wins over the delete everywhere it syncs to. */
export async function restoreHighlight(highlight: Highlight, db: CalicoDb = getDb()): Promise<Highlight> {
  const restored = Highlight.parse({ ...highlight, updatedAt: Math.max(Date.now(), highlight.updatedAt + 1) });
  await putRecords('highlights', [restored], db);
  void signalHighlightsChanged(restored.url);
  return restored;
}

export async function getHighlight(id: string, db: CalicoDb = getDb()): Promise<Highlight | undefined> {
  return db.highlights.get(id);
}

/** Highlights of a page, matched on any of the URLs the page is known by (canonical, then plain). */
export async function listHighlightsForPage(urls: readonly string[], db: CalicoDb = getDb()): Promise<Highlight[]> {
  const unique = [...new Set(urls.filter(Boolean))];
  const rows = await db.highlights.where('url').anyOf(unique).toArray();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** Records what the painter found; only rows whose status changed are written (and logged). */
export async function setAnchorStatuses(results: readonly { id: string; status: AnchorStatus }[], db: CalicoDb = getDb()): Promise<number> {
  let updated = 0;
  for (const { id, status } of results) {
    let changed = false;
    await updateRecord<Highlight>('highlights', id, (h) => {
      if (h.anchorStatus === status) return undefined;
      changed = true;
      return { ...h, anchorStatus: status };
    }, db);
    if (changed) updated++;
  }
  return updated;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
