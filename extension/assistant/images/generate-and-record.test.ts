import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { generateAndRecord } from './generate-and-record';
import { listImageRecords, saveImageRecord } from './image-records';
import type { ImageWorkerConfig } from './image-client';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';
const paired: ImageWorkerConfig = { privacy: 'allow-worker', baseUrl: 'http://127.0.0.1:8787', token: 't' };
const reply = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('generateAndRecord', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => dropTestDb(db));
  const save: typeof saveImageRecord = (input) => saveImageRecord(input, db);

  it('saves the request with the model the worker reported, and returns the images with the record id', async () => {
    const result = await generateAndRecord(
      { prompt: 'a lighthouse', n: 2, size: '256x256', source: 'chat', url: 'https://blog.example/post', title: 'Post' },
      { config: async () => paired, fetch: reply(200, { model: 'flux', images: [{ mimeType: 'image/png', base64: PNG_B64 }, { mimeType: 'image/png', base64: PNG_B64 }] }), save },
    );
    expect(result.ok).toBe(true);
    const [record] = await listImageRecords(5, db);
    expect(record).toMatchObject({ prompt: 'a lighthouse', model: 'flux', size: '256x256', count: 2, source: 'chat', pageUrl: 'https://blog.example/post', pageTitle: 'Post' });
    expect(result.ok && result.id).toBe(record!.id);
  });

  it('a refused or failed generation saves nothing and passes the words on', async () => {
    const result = await generateAndRecord({ prompt: 'a cat', n: 1, source: 'menu' }, { config: async () => paired, fetch: reply(429, { error: { code: 'quota_exceeded', message: 'images: 0 of 0 left' } }), save });
    expect(result).toMatchObject({ ok: false, code: 'quota' });
    expect(await listImageRecords(5, db)).toEqual([]);
  });

  it('images made but not saved (storage full) are still shown, with a notice', async () => {
    const result = await generateAndRecord({ prompt: 'a cat', n: 1, source: 'menu' }, {
      config: async () => paired,
      fetch: reply(200, { model: 'flux', images: [{ mimeType: 'image/png', base64: PNG_B64 }] }),
      save: async () => {
        throw new Error('QuotaExceededError');
      },
    });
    expect(result).toMatchObject({ ok: true, notice: expect.stringContaining('Not saved to memory') });
  });
});
