import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageRecord } from '@shared/schemas/images';
import { RECORD_SCHEMAS, TABLE_OF_KIND } from '@shared/schemas/sync';
import { changesSince } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getImageRecord, listImageRecords, markImageUsed, saveImageRecord, type NewImageRecord } from './image-records';

const input: NewImageRecord = {
  prompt: 'An illustration for this post: tide pools',
  model: 'double-image-1',
  size: '512x512',
  count: 2,
  source: 'menu',
  pageUrl: 'http://127.0.0.1:5000/post',
  pageTitle: 'My post',
};

describe('image records', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => dropTestDb(db));

  it('saves the prompt, model, size and count through the change log (so it syncs), and no image bytes', async () => {
    const record = await saveImageRecord(input, db, 1_700_000_000_000);
    expect(record).toMatchObject({ ...input, used: [], createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000 });
    expect(record.id).toMatch(/^img-[0-9a-f]{24}$/);
    expect(await getImageRecord(record.id, db)).toEqual(record);
    expect((await changesSince(0, 100, db)).map((c) => [c.table, c.key, c.op])).toEqual([['images', record.id, 'put']]);
    expect(Object.keys(record).some((k) => /base64|bytes|data/i.test(k))).toBe(false);
    // The sync contract takes it as the 'image' kind.
    expect(TABLE_OF_KIND.image).toBe('images');
    expect(RECORD_SCHEMAS.image.safeParse(record).success).toBe(true);
  });

  it('marks an image inserted or downloaded once each, logged as a change', async () => {
    const record = await saveImageRecord(input, db);
    await markImageUsed(record.id, 'inserted', db);
    const twice = await markImageUsed(record.id, 'inserted', db);
    expect(twice?.used).toEqual(['inserted']);
    expect((await markImageUsed(record.id, 'downloaded', db))?.used).toEqual(['inserted', 'downloaded']);
    expect(await markImageUsed('img-000000000000000000000000', 'inserted', db)).toBeNull();
    expect((await changesSince(0, 100, db)).length).toBe(4);
  });

  it('lists newest first', async () => {
    const a = await saveImageRecord(input, db, 1000);
    const b = await saveImageRecord({ ...input, prompt: 'second' }, db, 2000);
    expect((await listImageRecords(10, db)).map((r) => r.id)).toEqual([b.id, a.id]);
  });

  it('the schema bounds every field', () => {
    const ok = { ...input, id: 'img-0123456789', used: [], createdAt: 1, updatedAt: 1 };
    expect(ImageRecord.safeParse(ok).success).toBe(true);
    expect(ImageRecord.safeParse({ ...ok, prompt: 'x'.repeat(2001) }).success).toBe(false);
    expect(ImageRecord.safeParse({ ...ok, prompt: '  ' }).success).toBe(false);
    expect(ImageRecord.safeParse({ ...ok, count: 5 }).success).toBe(false);
    expect(ImageRecord.safeParse({ ...ok, size: '9x9' }).success).toBe(false);
    expect(ImageRecord.safeParse({ ...ok, model: 'm'.repeat(201) }).success).toBe(false);
    expect(ImageRecord.safeParse({ ...ok, used: ['inserted', 'downloaded', 'inserted'] }).success).toBe(false);
  });
});
