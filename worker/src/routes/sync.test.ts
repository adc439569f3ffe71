import { runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { PullResponse, PushResponse } from '../../../shared/schemas/sync';
import { HlcClock } from '../../../shared/sync/hlc';
import { userStore } from '../store/stub';
import type { UserStore } from '../store/user-store';
import { floatsToBase64 } from '../store/vector-codec';
import { call, env, hlcAt, highlightData, json, newAccount, newId, newPushId, pairSecondDevice, pullAll, push, resetDb, visitData } from '../../test/helpers';

beforeEach(resetDb);

const T0 = Date.now() - 60_000;

function visitPut(id: string, hlc: string, patch: Record<string, unknown> = {}) {
  return { op: 'put', kind: 'visit', key: id, hlc, data: visitData(id, patch) };
}

describe('POST /v1/sync/push and GET /v1/sync/pull', () => {
  it('pushes records and pulls them back on another device of the account', async () => {
    const a = await newAccount();
    const b = await pairSecondDevice(a);
    const id = newId('hl');
    const res = await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'devA'), data: highlightData(id, { note: 'first thought' }) }]);
    expect(res.status).toBe(200);
    const body = PushResponse.parse(await json(res));
    expect(body.outcomes).toEqual(['applied']);
    const pulled = PullResponse.parse(await json(await call('/v1/sync/pull', { token: b.token })));
    expect(pulled.records).toHaveLength(1);
    expect(pulled.records[0]).toMatchObject({ kind: 'highlight', key: id, deleted: false, data: { note: 'first thought' } });
    expect(pulled.records[0]!.fieldHlcs.note).toBe(hlcAt(T0, 'devA'));
    expect(pulled.cursor).toBe(body.cursor);
    expect(pulled.hasMore).toBe(false);
  });

  it('the same batch twice changes nothing and returns the first answer', async () => {
    const a = await newAccount();
    const pushId = newPushId();
    const changes = [visitPut(newId('v'), hlcAt(T0, 'devA')), visitPut(newId('v'), hlcAt(T0 + 1, 'devA'))];
    const first = await json(await push(a.token, changes, pushId));
    const again = await json(await push(a.token, changes, pushId));
    expect(again).toEqual({ ...first, duplicate: true });
    // Same changes under a new push id (a client that lost its push id): still nothing changes.
    const third = await json(await push(a.token, changes));
    expect(third.outcomes).toEqual(['stale', 'stale']);
    expect(third.cursor).toBe(first.cursor);
    const { records } = await pullAll(a.token);
    expect(records).toHaveLength(2);
  });

  it('reordered batches converge to the same state', async () => {
    const [a, b] = [await newAccount(), await newAccount()];
    const id = newId('v');
    const batches = [
      [visitPut(id, hlcAt(T0, 'devA'), { title: 'one' })],
      [visitPut(id, hlcAt(T0 + 10, 'devB'), { title: 'two' })],
      [{ op: 'delete', kind: 'visit', key: id, hlc: hlcAt(T0 + 5, 'devA') }],
    ];
    for (const batch of batches) await push(a.token, batch);
    for (const batch of [...batches].reverse()) await push(b.token, batch);
    const [ra, rb] = [(await pullAll(a.token)).records, (await pullAll(b.token)).records];
    expect(ra[0].data).toEqual(rb[0].data);
    expect(ra[0]).toMatchObject({ deleted: false, data: { title: 'two' }, hlc: rb[0].hlc });
  });

  it('a batch cut in half in transit is refused whole, and resending it applies it once', async () => {
    const a = await newAccount();
    const changes = Array.from({ length: 50 }, (_, i) => visitPut(newId('v'), hlcAt(T0 + i, 'devA')));
    const pushId = newPushId();
    const body = JSON.stringify({ pushId, changes });
    const cut = await call('/v1/sync/push', { method: 'POST', token: a.token, body: body.slice(0, body.length / 2), headers: { 'content-type': 'application/json' } });
    expect(cut.status).toBe(400);
    expect((await pullAll(a.token)).records).toHaveLength(0);
    expect((await push(a.token, changes, pushId)).status).toBe(200);
    expect((await pullAll(a.token)).records).toHaveLength(50);
  });

  it('a batch that fails half-way through leaves nothing half-applied', async () => {
    const a = await newAccount();
    const changes = Array.from({ length: 20 }, (_, i) => visitPut(newId('v'), hlcAt(T0 + i, 'devA')));
    const stub = userStore(env, a.userId);
    await runInDurableObject(stub, async (store: UserStore) => {
      store.failAfterChangesForTesting = 10;
      await expect(store.push(a.userId, { pushId: newPushId(), changes: changes as never }, Date.now())).rejects.toThrow(/injected/);
      store.failAfterChangesForTesting = null;
      expect(store.stats()).toMatchObject({ records: 0, seq: 0 });
    });
    expect((await push(a.token, changes)).status).toBe(200);
    expect((await pullAll(a.token)).records).toHaveLength(20);
  });

  it('one invalid change refuses the whole batch with a 400 naming it', async () => {
    const a = await newAccount();
    const good = visitPut(newId('v'), hlcAt(T0, 'devA'));
    const bad = { ...visitPut(newId('v'), hlcAt(T0, 'devA')), data: { ...visitData('x'), transition: 'teleport' } };
    const res = await push(a.token, [good, bad]);
    expect(res.status).toBe(400);
    const err = await json(res);
    expect(err.error.issues.some((i: { path: string }) => i.path.startsWith('changes.1'))).toBe(true);
    expect((await pullAll(a.token)).records).toHaveLength(0);
  });

  it('validates batches: size, key/data agreement, unknown fields, HLC format and clock skew', async () => {
    const a = await newAccount();
    const id = newId('v');
    const cases: unknown[] = [
      { pushId: newPushId(), changes: [] },
      { pushId: newPushId(), changes: Array.from({ length: 501 }, (_, i) => visitPut(`${id}${i}`, hlcAt(T0, 'd'))) },
      { pushId: newPushId(), changes: [{ ...visitPut(id, hlcAt(T0, 'd')), key: 'other_key_1' }] },
      { pushId: newPushId(), changes: [{ ...visitPut(id, hlcAt(T0, 'd')), fields: ['nonsense'] }] },
      { pushId: newPushId(), changes: [{ ...visitPut(id, 'yesterday') }] },
      { pushId: newPushId(), changes: [visitPut(id, hlcAt(Date.now() + 3_600_000, 'd'))] },
      { pushId: 'x', changes: [visitPut(id, hlcAt(T0, 'd'))] },
      { pushId: newPushId(), changes: [{ op: 'put', kind: 'visit', key: id, hlc: hlcAt(T0, 'd'), data: visitData(id), vectors: { model: 'm', dims: 4, chunks: [{ encoding: 'f32', data: floatsToBase64([1, 2, 3]) }] } }] },
    ];
    for (const body of cases) {
      const res = await call('/v1/sync/push', { method: 'POST', token: a.token, json: body });
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect((await json(res)).error.code).toBe('bad_request');
    }
  });

  it('413s a body over the push limit', async () => {
    const a = await newAccount();
    const res = await call('/v1/sync/push', { method: 'POST', token: a.token, body: 'x'.repeat(8 * 1024 * 1024 + 10), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('pull validates its query', async () => {
    const a = await newAccount();
    for (const q of ['cursor=abc', 'limit=0', 'limit=5000', 'limit=x', 'vectors=yes']) {
      expect((await call(`/v1/sync/pull?${q}`, { token: a.token })).status, q).toBe(400);
    }
  });

  it('pull pages by cursor and returns each record once, at its latest state', async () => {
    const a = await newAccount();
    const ids = Array.from({ length: 25 }, () => newId('v'));
    await push(a.token, ids.map((id, i) => visitPut(id, hlcAt(T0 + i, 'devA'))));
    // Edit five of them again: they move to the end of the log, without duplicates.
    await push(a.token, ids.slice(0, 5).map((id, i) => visitPut(id, hlcAt(T0 + 100 + i, 'devA'), { title: 'edited' })));
    const { records, pages } = await pullAll(a.token, 10);
    expect(pages).toBe(3);
    expect(records).toHaveLength(25);
    expect(new Set(records.map((r) => r.key)).size).toBe(25);
    expect(records.slice(-5).every((r) => r.data.title === 'edited')).toBe(true);
    // From the last cursor: nothing new.
    const last = await pullAll(a.token, 10);
    const tail = await json(await call(`/v1/sync/pull?cursor=${last.cursor}`, { token: a.token }));
    expect(tail).toMatchObject({ records: [], hasMore: false, cursor: last.cursor });
  });

  it('ends a pull page early when its records are large, losing nothing', async () => {
    const a = await newAccount();
    const text = 'word '.repeat(39_000); // ~195 KB per page record
    const pages = Array.from({ length: 30 }, (_, i) => {
      const url = `https://example.com/big/${i}`;
      return { op: 'put', kind: 'page', key: url, hlc: hlcAt(T0 + i, 'd'), data: { url, site: 'example.com', title: `Big ${i}`, text, wordCount: 39_000, capturedAt: 1, updatedAt: 1 } };
    });
    for (let i = 0; i < 30; i += 10) expect((await push(a.token, pages.slice(i, i + 10))).status).toBe(200);
    const first = await json(await call('/v1/sync/pull?limit=1000', { token: a.token }));
    expect(first.hasMore).toBe(true);
    expect(first.records.length).toBeLessThan(30);
    const all = await pullAll(a.token, 1000);
    expect(all.records).toHaveLength(30);
    expect(all.pages).toBeGreaterThan(1);
  });

  it('tombstones propagate deletes and refuse older puts arriving late', async () => {
    const a = await newAccount();
    const id = newId('hl');
    await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'devA'), data: highlightData(id) }]);
    const del = await json(await push(a.token, [{ op: 'delete', kind: 'highlight', key: id, hlc: hlcAt(T0 + 10, 'devB') }]));
    expect(del.outcomes).toEqual(['applied']);
    const late = await json(await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0 + 5, 'devA'), data: highlightData(id, { color: 'pink' }) }]));
    expect(late.outcomes).toEqual(['stale']);
    const { records } = await pullAll(a.token);
    expect(records[0]).toMatchObject({ key: id, deleted: true, data: null });
    expect((await call(`/v1/records/highlight/${id}`, { token: a.token })).status).toBe(200);
  });

  it('two devices editing the same highlight: colour from one, both notes kept, same on both devices', async () => {
    const laptop = await newAccount('Laptop');
    const phone = await pairSecondDevice(laptop, 'Phone');
    const id = newId('hl');
    const clockA = new HlcClock('laptop');
    const clockB = new HlcClock('phone');
    await push(laptop.token, [{ op: 'put', kind: 'highlight', key: id, hlc: clockA.now(), data: highlightData(id, { note: 'Jars:' }) }]);
    // Both devices pull the same version.
    const base = (await pullAll(phone.token)).records[0];
    clockB.receive(base.hlc);
    const noteBase = base.fieldHlcs.note;
    // Offline, each edits: the laptop the colour and the note, the phone the note.
    const editA = { op: 'put', kind: 'highlight', key: id, hlc: clockA.now(), noteBase, fields: ['color', 'note'], data: highlightData(id, { color: 'green', note: 'Jars:\nthey unscrew lids' }) };
    const editB = { op: 'put', kind: 'highlight', key: id, hlc: clockB.now(), noteBase, fields: ['note'], data: highlightData(id, { note: 'Jars:\nfrom the inside too' }) };
    const outcomes = [(await json(await push(phone.token, [editB]))).outcomes[0], (await json(await push(laptop.token, [editA]))).outcomes[0]];
    expect(outcomes).toContain('merged');
    const onLaptop = (await pullAll(laptop.token)).records[0];
    const onPhone = (await pullAll(phone.token)).records[0];
    expect(onLaptop).toEqual(onPhone);
    expect(onLaptop.data.color).toBe('green');
    expect(onLaptop.data.note).toContain('they unscrew lids');
    expect(onLaptop.data.note).toContain('from the inside too');
    expect(onLaptop.data.note.match(/Jars:/g)).toHaveLength(1);
  });

  it('pages are keyed by URL, readable back by their encoded URL', async () => {
    const a = await newAccount();
    const url = 'https://example.com/a/b?c=d#e';
    const page = { url, site: 'example.com', title: 'Deep page', text: 'Body text', wordCount: 2, capturedAt: 1, updatedAt: 1 };
    expect((await json(await push(a.token, [{ op: 'put', kind: 'page', key: url, hlc: hlcAt(T0, 'd'), data: page }]))).outcomes).toEqual(['applied']);
    const res = await call(`/v1/records/page/${encodeURIComponent(url)}`, { token: a.token });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toMatchObject({ url, title: 'Deep page', excerpt: '', truncated: false });
    // Settings sync as key/value rows.
    const setting = { op: 'put', kind: 'setting', key: 'paused', hlc: hlcAt(T0, 'd'), data: { key: 'paused', value: true, updatedAt: 1 } };
    expect((await json(await push(a.token, [setting]))).outcomes).toEqual(['applied']);
    expect((await json(await call('/v1/records/setting/paused', { token: a.token }))).data.value).toBe(true);
  });

  it('vectors travel with their record and come back on pull with vectors=1', async () => {
    const a = await newAccount();
    const id = newId('hl');
    const vectors = { model: 'test-model', dims: 3, chunks: [{ encoding: 'f32', data: floatsToBase64([0.6, 0.8, 0]) }] };
    await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'devA'), data: highlightData(id), vectors }]);
    const without = (await pullAll(a.token)).records[0];
    expect(without.vectors).toBeUndefined();
    const withVectors = (await pullAll(a.token, 100, true)).records[0];
    expect(withVectors.vectors).toEqual(vectors);
  });

  it('10,000 records pushed in bounded batches and pulled in pages: nothing lost', async () => {
    const a = await newAccount();
    const b = await pairSecondDevice(a);
    const clock = new HlcClock('bulk');
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const changes = Array.from({ length: 500 }, () => {
        const id = newId('v');
        ids.push(id);
        return visitPut(id, clock.now());
      });
      const res = await push(a.token, changes);
      expect(res.status).toBe(200);
    }
    const { records, pages } = await pullAll(b.token, 1000);
    expect(pages).toBe(10);
    expect(records).toHaveLength(10_000);
    const keys = new Set(records.map((r) => r.key));
    expect(keys.size).toBe(10_000);
    expect(ids.every((id) => keys.has(id))).toBe(true);
  });
});
