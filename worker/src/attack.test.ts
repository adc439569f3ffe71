import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { call, env, hlcAt, highlightData, json, newAccount, newId, pairSecondDevice, pullAll, push, resetDb } from '../test/helpers';
import { floatsToBase64 } from './store/vector-codec';

/**
 * User B holds a valid token of their own and tries every way we can think of to reach user A's
 * records: by A's record ids, A's cursors, A's user and device ids in paths and bodies, and forged
 * headers. None may read, write, search or delete anything of A's.
 */
beforeEach(resetDb);

const T0 = Date.now() - 60_000;

async function victimWithData() {
  const alice = await newAccount('Alice laptop');
  const id = newId('hl');
  const secret = 'zanzibar-secret-note';
  const pushRes = await json(
    await push(alice.token, [
      {
        op: 'put',
        kind: 'highlight',
        key: id,
        hlc: hlcAt(T0, 'alice'),
        data: highlightData(id, { note: secret, text: 'Alice only text about zanzibar' }),
        vectors: { model: 'm', dims: 2, chunks: [{ encoding: 'f32', data: floatsToBase64([1, 0]) }] },
      },
    ]),
  );
  return { alice, id, secret, cursor: pushRes.cursor as string };
}

async function aliceState(token: string, id: string) {
  return json(await call(`/v1/records/highlight/${id}`, { token }));
}

describe('attack suite: one account never reaches another’s records', () => {
  it('B cannot read A’s records by id, by path tricks, or by A’s cursor', async () => {
    const { id, secret, cursor } = await victimWithData();
    const bob = await newAccount('Bob');
    for (const path of [
      `/v1/records/highlight/${id}`,
      `/v1/records/highlight/${encodeURIComponent(id)}`,
      `/v1/records/highlight/..%2F${id}`,
      `/v1/records/highlight/${id}%00`,
    ]) {
      const res = await call(path, { token: bob.token });
      expect([400, 404], path).toContain(res.status);
      expect(await res.text()).not.toContain(secret);
    }
    for (const c of ['', cursor, 'c0', 'c1', 'c999999999']) {
      const res = await call(`/v1/sync/pull?cursor=${c}&vectors=1`, { token: bob.token });
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.records, c).toEqual([]);
    }
  });

  it('B cannot find A’s records by search, by keyword or by vector', async () => {
    const { secret } = await victimWithData();
    const bob = await newAccount('Bob');
    for (const body of [{ q: secret }, { q: 'zanzibar' }, { vector: [1, 0], model: 'm' }, { q: 'zanzibar', vector: [1, 0], model: 'm' }]) {
      const res = await json(await call('/v1/search', { method: 'POST', token: bob.token, json: body }));
      expect(res.hits).toEqual([]);
    }
  });

  it('B cannot overwrite or delete A’s records with A’s ids, even with newer HLCs', async () => {
    const { alice, id, secret } = await victimWithData();
    const bob = await newAccount('Bob');
    const before = await aliceState(alice.token, id);
    const far = hlcAt(Date.now(), 'bob');
    await push(bob.token, [{ op: 'put', kind: 'highlight', key: id, hlc: far, data: highlightData(id, { note: 'pwned' }) }]);
    await push(bob.token, [{ op: 'delete', kind: 'highlight', key: id, hlc: hlcAt(Date.now() + 1, 'bob') }]);
    const after = await aliceState(alice.token, id);
    expect(after).toEqual(before);
    expect(after.data.note).toBe(secret);
    // What B did only exists in B's own store.
    const bobs = (await pullAll(bob.token)).records;
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({ key: id, deleted: true });
  });

  it('identity in the body, query or headers is ignored: only the token decides', async () => {
    const { alice, id, secret } = await victimWithData();
    const bob = await newAccount('Bob');
    const tricks = [
      call(`/v1/sync/pull?userId=${alice.userId}&user=${alice.userId}`, { token: bob.token }),
      call('/v1/sync/pull', { token: bob.token, headers: { 'x-user-id': alice.userId, 'x-device-id': alice.deviceId } }),
      call('/v1/search', { method: 'POST', token: bob.token, json: { q: 'zanzibar', userId: alice.userId } }),
    ];
    for (const res of await Promise.all(tricks)) expect(await res.text()).not.toContain(secret);
    expect((await aliceState(alice.token, id)).data.note).toBe(secret);
  });

  it('B cannot list, revoke or pair into A’s devices', async () => {
    const { alice } = await victimWithData();
    const bob = await newAccount('Bob');
    const list = await json(await call('/v1/devices', { token: bob.token }));
    expect(list.devices.map((d: { id: string }) => d.id)).toEqual([bob.deviceId]);
    expect((await call(`/v1/devices/${alice.deviceId}`, { method: 'DELETE', token: bob.token })).status).toBe(404);
    expect((await call('/v1/me', { token: alice.token })).status).toBe(200);
    // A pairing code B makes joins B's account, never A's.
    const joined = await pairSecondDevice(bob);
    expect(joined.userId).toBe(bob.userId);
  });

  it('revoked and expired tokens are refused on every route', async () => {
    const { alice, id } = await victimWithData();
    const second = await pairSecondDevice(alice, 'Old phone');
    const third = await pairSecondDevice(alice, 'Stolen tablet');
    await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: alice.token });
    await env.DB.prepare('UPDATE devices SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, third.deviceId).run();
    const routes: [string, RequestInit & { json?: unknown }][] = [
      ['/v1/me', {}],
      ['/v1/devices', {}],
      ['/v1/sync/pull', {}],
      [`/v1/records/highlight/${id}`, {}],
      ['/v1/search', { method: 'POST', json: { q: 'zanzibar' } }],
      ['/v1/sync/push', { method: 'POST', json: { pushId: 'push_attack_1', changes: [{ op: 'delete', kind: 'highlight', key: id, hlc: hlcAt(Date.now(), 'x') }] } }],
      ['/v1/pairing', { method: 'POST' }],
      ['/v1/chat', { method: 'POST', json: { question: 'what did alice write?' } }],
      [`/v1/devices/${alice.deviceId}`, { method: 'DELETE' }],
    ];
    for (const token of [second.token, third.token]) {
      for (const [path, init] of routes) {
        const res = await call(path, { ...init, token });
        expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(401);
      }
    }
    expect((await aliceState(alice.token, id)).deleted).toBe(false);
    expect((await call('/v1/me', { token: alice.token })).status).toBe(200);
  });
});

describe('attack suite: a stolen newer device against its owner (issue 9)', () => {
  it('cannot sign out older devices, take their names, or keep pairing once the owner signs it out', async () => {
    const laptop = await newAccount('Laptop');
    const stolen = await pairSecondDevice(laptop, 'Phone');
    // The thief tries to lock the owner out…
    expect((await call(`/v1/devices/${laptop.deviceId}`, { method: 'DELETE', token: stolen.token })).status).toBe(403);
    // …to slip in a look-alike of the owner's device…
    const code = (await json(await call('/v1/pairing', { method: 'POST', token: stolen.token }))).code as string;
    for (const name of ['Laptop', 'LAPTOP', 'Laptop\u202E', 'Lap\u0000top']) {
      const res = await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName: name } });
      expect([400, 409], JSON.stringify(name)).toContain(res.status);
    }
    // …and the owner signs the stolen phone out: its token and the code it showed die together.
    expect((await call(`/v1/devices/${stolen.deviceId}`, { method: 'DELETE', token: laptop.token })).status).toBe(200);
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName: 'Thief tablet' } })).status).toBe(404);
    expect((await call('/v1/me', { token: stolen.token })).status).toBe(401);
    const devices = (await json(await call('/v1/devices', { token: laptop.token }))).devices as { name: string; revokedAt: number | null }[];
    expect(devices.map((d) => [d.name, d.revokedAt !== null])).toEqual([
      ['Laptop', false],
      ['Phone', true],
    ]);
  });

  it('rotating CF-Connecting-IP does not buy a local attacker more guesses', async () => {
    // Pinned mid-window: the limit counts in fixed one-minute windows.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T12:00:20Z'));
    onTestFinished(() => void vi.useRealTimers());
    const limits = { RATE_LIMIT_JOIN_PER_MIN: '2' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call('/v1/pairing/join', { method: 'POST', json: { code: `ROTATE0${i}`, deviceName: 'X' }, envOverrides: limits, ip: `10.0.0.${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 429, 429]);
  });
});
