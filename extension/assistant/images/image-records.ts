import { ImageRecord } from '@shared/schemas/images';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords, updateRecord } from '@/db/change-log';

/**
 * The memory of generated images: one record per request (prompt, model, size, count, page), written
 * through the change log so it syncs and exports like every record. The bytes are never stored.
 */

export type NewImageRecord = Omit<ImageRecord, 'id' | 'createdAt' | 'updatedAt' | 'used'>;

export function newImageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `img-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function saveImageRecord(input: NewImageRecord, db: CalicoDb = getDb(), now = Date.now()): Promise<ImageRecord> {
  const record = ImageRecord.parse({ ...input, id: newImageId(), used: [], createdAt: now, updatedAt: now });
  await putRecords('images', [record], db);
  return record;
}

/** Notes that one of the request's images was inserted or downloaded; null when there is no such record. */
export async function markImageUsed(id: string, how: 'inserted' | 'downloaded', db: CalicoDb = getDb()): Promise<ImageRecord | null> {
  const updated = await updateRecord<ImageRecord>(
    'images',
    id,
    (row) => ImageRecord.parse({ ...row, used: row.used.includes(how) ? row.used : [...row.used, how], updatedAt: Math.max(Date.now(), row.updatedAt) }),
    db,
  );
  return updated ?? null;
}

export async function getImageRecord(id: string, db: CalicoDb = getDb()): Promise<ImageRecord | undefined> {
  return db.images.get(id);
}

/** Newest first. */
export async function listImageRecords(limit = 50, db: CalicoDb = getDb()): Promise<ImageRecord[]> {
  return db.images.orderBy('createdAt').reverse().limit(limit).toArray();
}
