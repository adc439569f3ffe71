import { describe, expect, test } from 'vitest';
import type { Highlight } from '@shared/schemas/records';
import { deleteRecords, putRecords, updateRecord } from '@/db/change-log';
import { createAccount, createPairingCode, joinAccount, setSyncEnabled } from './accounts';
import { BACKOFF_BASE_MS } from './backoff';
import { pendingCount } from './pending';
import { readStatus } from './sync-status';
import { highlight, makeDevice, WORKER, type TestDevice } from './test-support/devices';
import { MemoryServer } from './test-support/memory-server';

async function pair(server: MemoryServer, extra = {}): Promise<[TestDevice, TestDevice]> {
  const a = makeDevice(server, extra);
  const b = makeDevice(server, extra);
  await createAccount(WORKER, 'laptop', a.deps);
  const { code } = await createPairingCode(a.deps);
  await joinAccount(WORKER, code, 'desktop', b.deps);
  return [a, b];
}

const highlights = (d: TestDevice) => d.db.highlights.orderBy('id').toArray();

describe('sync engine', () => {
  test('a highlight made on one device arrives on the other, and pulled records are not pushed back', async () => {
    const server = new MemoryServer();
    const [a, b] = await pair(server);
    await putRecords('highlights', [highlight('hl_shared1', { note: 'from A' })], a.db);
    expect((await a.sync()).state).toBe('idle');
    expect((await b.sync()).state).toBe('idle');
    expect(await highlights(b)).toEqual(await highlights(a));

    // B wrote the pulled highlight through the change log (other consumers see it)…
    const logged = await b.db.changes.where('[table+key]').equals(['highlights', 'hl_shared1']).toArray();
    expect(logged.map((c) => c.origin)).toEqual(['sync']);
    // …but it has nothing to push: syncing again sends no change.
    expect(await pendingCount(b.db)).toBe(0);
    const pushesBefore = server.pushes.length;
    await b.sync();
    await a.sync();
    expect(server.pushes.length).toBe(pushesBefore);
    expect((await readStatus(b.area)).pulled).toBe(0);
  });

  test('concurrent edits of different fields both survive; concurrent note edits keep both texts', async () => {
    const server = new MemoryServer();
    const [a, b] = await pair(server);
    await putRecords('highlights', [highlight('hl_shared1', { note: 'shared line' })], a.db);
    await a.sync();
    await b.sync();

    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, color: 'pink' }), a.db);
    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, note: 'shared line\nB thinks so' }), b.db);
    await a.sync();
    await b.sync();
    await a.sync();
    const [ha] = await highlights(a);
    const [hb] = await highlights(b);
    expect(ha).toEqual(hb);
    expect(ha).toMatchObject({ color: 'pink', note: 'shared line\nB thinks so' });

    // Both change the note before either syncs: neither side's words are lost.
    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, note: `${h.note}\nA adds this` }), a.db);
    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, note: `${h.note}\nB adds that` }), b.db);
    await a.sync();
    await b.sync();
    await a.sync();
    await b.sync();
    const [na] = await highlights(a);
    const [nb] = await highlights(b);
    expect(na!.note).toBe(nb!.note);
    expect(na!.note).toContain('A adds this');
    expect(na!.note).toContain('B adds that');
    expect(na!.note).toContain('B thinks so');
    const userId = ((await a.area.get('sync.config')) as { account: { userId: string } }).account.userId;
    expect(server.liveRecords(userId).get('highlight:hl_shared1')?.note).toBe(na!.note);
  });

  test('an edit made while a pull is on its way is kept and pushed, not overwritten', async () => {
    const server = new MemoryServer();
    const [a, b] = await pair(server);
    await putRecords('highlights', [highlight('hl_shared1', { note: 'base' })], a.db);
    await a.sync();
    await b.sync();
    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, color: 'blue', note: 'A note' }), a.db);
    await a.sync();
    // B edits the note but syncs only after A's change is on the server: B pushes first (its edit is
    // concurrent with A's), then pulls; the result has A's colour and both notes.
    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, note: 'B note' }), b.db);
    await b.sync();
    await a.sync();
    const [ha] = await highlights(a);
    const [hb] = await highlights(b);
    expect(ha).toEqual(hb);
    expect(ha!.color).toBe('blue');
    expect(ha!.note).toContain('A note');
    expect(ha!.note).toContain('B note');
  });

  test('an edit made while the pull request is in flight survives the pulled state and is pushed next', async () => {
    const server = new MemoryServer();
    let duringPull: (() => Promise<void>) | null = null;
    // B's "network": runs a local edit just as its pull request leaves (a person typing mid-sync).
    const fetchB: typeof fetch = async (input, init) => {
      if (String(input).includes('/sync/pull') && duringPull) {
        const edit = duringPull;
        duringPull = null;
        await edit();
      }
      return server.fetch(input, init);
    };
    const a = makeDevice(server);
    const b = makeDevice(server, { fetch: fetchB });
    await createAccount(WORKER, 'laptop', a.deps);
    await joinAccount(WORKER, (await createPairingCode(a.deps)).code, 'desktop', b.deps);
    await putRecords('highlights', [highlight('hl_shared1', { note: 'base' })], a.db);
    await a.sync();
    await b.sync();

    await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, color: 'blue', note: 'base\nA note' }), a.db);
    await a.sync();
    duringPull = async () => {
      await updateRecord<Highlight>('highlights', 'hl_shared1', (h) => ({ ...h, note: 'base\nB note' }), b.db);
    };
    await b.sync();
    // The pulled colour is taken, B's unpushed note is not thrown away (both texts kept locally)…
    const [mid] = await highlights(b);
    expect(mid!.color).toBe('blue');
    expect(mid!.note).toContain('B note');
    expect(mid!.note).toContain('A note');
    expect(await pendingCount(b.db)).toBe(1);
    // …and the next syncs bring both devices to the same state.
    await b.sync();
    await a.sync();
    const [ha] = await highlights(a);
    expect(await highlights(b)).toEqual([ha]);
    expect(ha!.note).toContain('A note');
    expect(ha!.note).toContain('B note');
  });

  test('random concurrent edits, deletes and syncs on two devices converge to the same records', async () => {
    const server = new MemoryServer();
    const [a, b] = await pair(server);
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids = Array.from({ length: 6 }, (_, i) => `hl_rand${String(i).padStart(3, '0')}`);
    const colors = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;
    for (let step = 0; step < 80; step++) {
      const d = rnd() < 0.5 ? a : b;
      const id = ids[Math.floor(rnd() * ids.length)]!;
      const action = rnd();
      const existing = await d.db.highlights.get(id);
      if (action < 0.15) await d.sync();
      else if (!existing || action < 0.3) await putRecords('highlights', [highlight(id, { note: `created ${step}`, updatedAt: Date.now() })], d.db);
      else if (action < 0.4) await deleteRecords('highlights', [id], d.db);
      else if (action < 0.7) await updateRecord<Highlight>('highlights', id, (h) => ({ ...h, color: colors[step % 5]!, updatedAt: Date.now() }), d.db);
      else await updateRecord<Highlight>('highlights', id, (h) => ({ ...h, note: `${h.note}\nline ${step}`, updatedAt: Date.now() }), d.db);
    }
    for (let round = 0; round < 3; round++) {
      await a.sync();
      await b.sync();
    }
    expect(await highlights(a)).toEqual(await highlights(b));
    expect(await pendingCount(a.db)).toBe(0);
    expect(await pendingCount(b.db)).toBe(0);
  });

  test('1,200 records existing before the account are pushed in bounded batches and pulled in pages, none lost', async () => {
    const server = new MemoryServer();
    const a = makeDevice(server);
    const ids = Array.from({ length: 1200 }, (_, i) => `hl_bulk${String(i).padStart(5, '0')}`);
    await putRecords('highlights', ids.map((id) => highlight(id)), a.db);
    await putRecords('searches', [{ id: 'se_0000001', engine: 'Bing', query: 'calico', url: 'https://www.bing.com/search?q=calico', site: 'bing.com', createdAt: 1, updatedAt: 1 }], a.db);
    await createAccount(WORKER, 'laptop', a.deps);
    const b = makeDevice(server, { pullLimit: 100 });
    await joinAccount(WORKER, (await createPairingCode(a.deps)).code, 'desktop', b.deps);
    expect((await a.sync()).pushed).toBe(1201);
    expect(server.pushes.every((p) => p.changes.length <= 500)).toBe(true);
    expect((await b.sync()).pulled).toBe(1201);
    expect(await b.db.highlights.count()).toBe(1200);
    expect(await b.db.searches.count()).toBe(1);
    expect(server.requests.filter((r) => r.path === '/v1/sync/pull').length).toBeGreaterThanOrEqual(13);
  });

  test('deletes travel; a pulled delete is not echoed', async () => {
    const server = new MemoryServer();
    const [a, b] = await pair(server);
    await putRecords('highlights', [highlight('hl_doomed1'), highlight('hl_kept0001')], a.db);
    await a.sync();
    await b.sync();
    await deleteRecords('highlights', ['hl_doomed1'], b.db);
    await b.sync();
    await a.sync();
    expect((await highlights(a)).map((h) => h.id)).toEqual(['hl_kept0001']);
    expect(await pendingCount(a.db)).toBe(0);
  });

  test('unreachable worker: exponential backoff, automatic attempts wait, "Sync now" tries at once, success resets', async () => {
    const server = new MemoryServer();
    let now = 1_800_000_000_000;
    const device = makeDevice(server, { now: () => now, random: () => 1 });
    await createAccount(WORKER, 'laptop', device.deps);
    await putRecords('highlights', [highlight('hl_offline')], device.db);
    server.offline = true;

    const first = await device.sync('change');
    expect(first).toMatchObject({ state: 'error', failures: 1, nextAttemptAt: now + BACKOFF_BASE_MS });
    expect(first.error).toMatch(/unreachable/);
    const second = await device.sync('manual');
    expect(second).toMatchObject({ failures: 2, nextAttemptAt: now + 2 * BACKOFF_BASE_MS });

    // An alarm before the backoff ends makes no request.
    const requests = server.requests.length;
    now += BACKOFF_BASE_MS;
    expect((await device.sync('alarm')).failures).toBe(2);
    expect(server.requests.length).toBe(requests);
    now += BACKOFF_BASE_MS;
    expect((await device.sync('alarm')).failures).toBe(3);
    expect((await readStatus(device.area)).nextAttemptAt).toBe(now + 4 * BACKOFF_BASE_MS);
    expect(await pendingCount(device.db)).toBe(1);

    server.offline = false;
    now += 4 * BACKOFF_BASE_MS;
    const ok = await device.sync('alarm');
    expect(ok).toMatchObject({ state: 'idle', failures: 0, nextAttemptAt: null, error: null, lastSyncedAt: now, pushed: 1 });
    expect(await pendingCount(device.db)).toBe(0);
  });

  test('a service-worker start right after a sync does not sync again', async () => {
    const server = new MemoryServer();
    let now = 1_800_000_000_000;
    const device = makeDevice(server, { now: () => now });
    await createAccount(WORKER, 'laptop', device.deps);
    await device.sync('manual');
    const requests = server.requests.length;
    now += 5_000;
    await device.sync('startup');
    expect(server.requests.length).toBe(requests);
    now += 60_000;
    await device.sync('startup');
    expect(server.requests.length).toBeGreaterThan(requests);
  });

  test('a response lost on the way: the batch is resent with the same push id and applied once', async () => {
    const server = new MemoryServer();
    const device = makeDevice(server);
    await createAccount(WORKER, 'laptop', device.deps);
    await putRecords('highlights', [highlight('hl_once001')], device.db);
    server.loseNextResponse = true;
    expect((await device.sync()).state).toBe('error');
    expect((await device.sync()).state).toBe('idle');
    expect(server.pushes).toHaveLength(2);
    expect(server.pushes[0]!.pushId).toBe(server.pushes[1]!.pushId);
  });

  test('switched off: no requests; a revoked token stops syncing until the device joins again', async () => {
    const server = new MemoryServer();
    const device = makeDevice(server);
    const config = await createAccount(WORKER, 'laptop', device.deps);
    await setSyncEnabled(false, device.deps);
    const before = server.requests.length;
    expect((await device.sync('change')).state).toBe('off');
    expect(server.requests.length).toBe(before);

    await setSyncEnabled(true, device.deps);
    server.revokeAll(config.account!.userId);
    const refused = await device.sync('manual');
    expect(refused).toMatchObject({ state: 'error', authFailed: true });
    const after = server.requests.length;
    expect((await device.sync('alarm')).authFailed).toBe(true);
    expect(server.requests.length).toBe(after);
  });
});
