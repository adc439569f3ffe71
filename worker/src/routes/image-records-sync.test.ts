import { beforeEach, describe, expect, it } from 'vitest';
import { PullResponse, PushResponse } from '../../../shared/schemas/sync';
import { call, hlcAt, json, newAccount, newId, pairSecondDevice, push, resetDb } from '../../test/helpers';

// Issue 10: an image request (prompt, model, size; never the bytes) is a synced record of kind 'image'.

beforeEach(resetDb);

const T0 = Date.now() - 60_000;

function imageData(id: string, patch: Record<string, unknown> = {}) {
  return { id, prompt: 'A watercolour of a tide pool', model: 'double-image-1', size: '512x512', count: 2, source: 'menu', pageUrl: 'https://blog.example/post', pageTitle: 'Post', used: ['inserted'], createdAt: T0, updatedAt: T0, ...patch };
}

describe('image records through sync', () => {
  it('an image record pushed from one device is pulled on another', async () => {
    const a = await newAccount();
    const b = await pairSecondDevice(a);
    const id = newId('img');
    const res = await push(a.token, [{ op: 'put', kind: 'image', key: id, hlc: hlcAt(T0, 'devA'), data: imageData(id) }]);
    expect(res.status).toBe(200);
    expect(PushResponse.parse(await json(res)).outcomes).toEqual(['applied']);
    const pulled = PullResponse.parse(await json(await call('/v1/sync/pull', { token: b.token })));
    expect(pulled.records).toHaveLength(1);
    expect(pulled.records[0]).toMatchObject({ kind: 'image', key: id, deleted: false, data: imageData(id) });
  });

  it('refuses an image record past the schema’s bounds (a prompt over 2,000 characters, five images, a use listed twice)', async () => {
    const a = await newAccount();
    const id = newId('img');
    for (const patch of [{ prompt: 'x'.repeat(2001) }, { count: 5 }, { used: ['inserted', 'downloaded', 'inserted'] }]) {
      const res = await push(a.token, [{ op: 'put', kind: 'image', key: id, hlc: hlcAt(T0, 'devA'), data: imageData(id, patch) }]);
      expect(res.status, JSON.stringify(patch).slice(0, 40)).toBe(400);
    }
  });
});
