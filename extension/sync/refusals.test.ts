import { afterEach, describe, expect, test, vi } from 'vitest';
import { putRecords } from '@/db/change-log';
import { createAccount, createPairingCode, joinAccount } from './accounts';
import { listQuarantine, retryQuarantineNow } from './quarantine';
import { SERVER_FAILURES_BEFORE_BISECT } from './refusals';
import { readStatus } from './sync-status';
import { INFLIGHT_KEY, readState } from './sync-state';
import { highlight, makeDevice, WORKER, type TestDevice } from './test-support/devices';
import { MemoryServer } from './test-support/memory-server';

const MINUTE = 60_000;

async function pair(server: MemoryServer, a: TestDevice, b: TestDevice): Promise<string> {
  const config = await createAccount(WORKER, 'laptop', a.deps);
  const { code } = await createPairingCode(a.deps);
  await joinAccount(WORKER, code, 'desktop', b.deps);
  return config.account!.userId;
}

/** Runs `write` with this machine's clock `ms` ahead (the change log stamps its entries with Date.now()). */
async function withClockAhead(ms: number, write: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms });
  try {
    await write();
  } finally {
    vi.useRealTimers();
  }
}

afterEach(() => vi.useRealTimers());

describe('a push the server refuses', () => {
  test('a clock running 11 minutes fast: its changes are quarantined with the reason, pull still runs, nothing is resent in a loop, and a retry after the fix lands them', async () => {
    const server = new MemoryServer();
    let skew = 11 * MINUTE;
    const a = makeDevice(server, { now: () => Date.now() + skew });
    const b = makeDevice(server);
    const userId = await pair(server, a, b);

    await a.sync();
    await putRecords('highlights', [highlight('hl_fromB01')], b.db);
    await b.sync();

    await putRecords('highlights', [highlight('hl_ok00001')], a.db);
    await withClockAhead(skew, () => putRecords('highlights', [highlight('hl_fast0001')], a.db));
    await putRecords('highlights', [highlight('hl_ok00002')], a.db);

    const status = await a.sync();
    expect(status.state).toBe('idle');
    // The device's hybrid clock follows its fast wall clock (and never runs backwards), so every change
    // it stamps while the clock is wrong is refused; each one is quarantined on its own.
    expect([...server.liveRecords(userId).keys()]).toEqual(['highlight:hl_fromB01']);
    // Pull ran although the push was refused.
    expect(await a.db.highlights.get('hl_fromB01')).toBeDefined();
    const entries = await listQuarantine(a.db);
    expect(entries.map((e) => e.key).sort()).toEqual(['hl_fast0001', 'hl_ok00001', 'hl_ok00002']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ kind: 'highlight', status: 400, attempts: 1 });
      expect(entry.reason).toMatch(/clock/);
    }
    // Kept locally, nothing in flight, no request repeated on the next sync.
    expect(await a.db.highlights.get('hl_fast0001')).toBeDefined();
    expect(await readState(a.db, INFLIGHT_KEY)).toBeUndefined();
    const pushes = server.pushes.length;
    expect((await a.sync()).state).toBe('idle');
    expect(server.pushes.length).toBe(pushes);

    // The clock is fixed and a few minutes pass; the person presses Retry.
    skew = 0;
    server.now = () => Date.now() + 5 * MINUTE;
    await retryQuarantineNow(a.db);
    expect((await a.sync()).state).toBe('idle');
    expect(server.liveRecords(userId).has('highlight:hl_fast0001')).toBe(true);
    expect(await listQuarantine(a.db)).toEqual([]);
    await b.sync();
    expect((await b.db.highlights.toArray()).map((h) => h.id).sort()).toEqual(['hl_fast0001', 'hl_fromB01', 'hl_ok00001', 'hl_ok00002']);
  });

  test('a quarantined record edited again is pushed again, and leaves the quarantine when accepted', async () => {
    const server = new MemoryServer();
    const a = makeDevice(server);
    const b = makeDevice(server);
    const userId = await pair(server, a, b);
    await a.sync();
    server.refuse = (change) => (change.op === 'put' && change.kind === 'highlight' && change.data.color === 'pink' ? { status: 422, reason: 'pink is refused here' } : null);
    await putRecords('highlights', [highlight('hl_blue0000', { color: 'blue' }), highlight('hl_pink0001', { color: 'pink' }), highlight('hl_blue0001', { color: 'blue' })], a.db);
    await a.sync();
    // One batch of three, refused; then its halves; the refused change alone.
    expect(server.pushes.at(-1)!.changes.map((c) => c.key)).toEqual(['hl_blue0001']);
    expect(server.liveRecords(userId).has('highlight:hl_blue0000')).toBe(true);
    expect((await listQuarantine(a.db)).map((q) => [q.key, q.status, q.reason])).toEqual([['hl_pink0001', 422, 'pink is refused here']]);
    expect(server.liveRecords(userId).has('highlight:hl_blue0001')).toBe(true);

    await putRecords('highlights', [highlight('hl_pink0001', { color: 'green' })], a.db);
    await a.sync();
    expect(await listQuarantine(a.db)).toEqual([]);
    expect(server.liveRecords(userId).get('highlight:hl_pink0001')?.color).toBe('green');
  });

  test('a transient 500: backoff, same batch resent, nothing quarantined, and pull is not held back', async () => {
    const server = new MemoryServer();
    const a = makeDevice(server);
    const b = makeDevice(server);
    const userId = await pair(server, a, b);
    await putRecords('highlights', [highlight('hl_fromB01')], b.db);
    await b.sync();

    await putRecords('highlights', [highlight('hl_fromA01')], a.db);
    server.failPushes = 1;
    const failed = await a.sync();
    expect(failed).toMatchObject({ state: 'error', failures: 1 });
    expect(failed.nextAttemptAt).not.toBeNull();
    expect(await a.db.highlights.get('hl_fromB01')).toBeDefined();
    const inflight = await readState<{ pushId: string }>(a.db, INFLIGHT_KEY);
    expect(inflight).toBeDefined();

    expect((await a.sync()).state).toBe('idle');
    expect(server.pushes.at(-1)!.pushId).toBe(inflight!.pushId);
    expect(server.liveRecords(userId).has('highlight:hl_fromA01')).toBe(true);
    expect(await listQuarantine(a.db)).toEqual([]);
  });

  test('a change the server fails on every time is narrowed down and quarantined; the others go through', async () => {
    const server = new MemoryServer();
    const a = makeDevice(server);
    const b = makeDevice(server);
    const userId = await pair(server, a, b);
    server.refuse = (change) => (change.key === 'hl_poison1' ? { status: 500, reason: 'internal error' } : null);
    await putRecords('highlights', ['hl_fine0001', 'hl_fine0002', 'hl_poison1', 'hl_fine0003'].map((id) => highlight(id)), a.db);
    let attempts = 0;
    while ((await listQuarantine(a.db)).length === 0 && attempts < 10 * SERVER_FAILURES_BEFORE_BISECT) {
      await a.sync();
      attempts++;
    }
    expect((await listQuarantine(a.db)).map((q) => [q.key, q.status])).toEqual([['hl_poison1', 500]]);
    const live = server.liveRecords(userId);
    for (const id of ['hl_fine0001', 'hl_fine0002', 'hl_fine0003']) expect(live.has(`highlight:${id}`)).toBe(true);
    expect((await a.sync()).state).toBe('idle');
    expect((await readStatus(a.area)).failures).toBe(0);
  });
});

describe('a record this device would not be allowed to send', () => {
  test('a conversation past the row limit is quarantined with the reason instead of being skipped silently', async () => {
    const server = new MemoryServer();
    const a = makeDevice(server);
    const b = makeDevice(server);
    await pair(server, a, b);
    await a.sync();
    const message = (i: number) => ({ id: `msg_${String(i).padStart(6, '0')}`, role: 'assistant', content: 'é'.repeat(60_000), at: 1 });
    const conversation = { id: 'conv_000001', title: 'long chat', scope: 'memory', pageUrl: null, messages: Array.from({ length: 12 }, (_, i) => message(i)), createdAt: 1, updatedAt: 1 };
    await putRecords('conversations', [conversation], a.db);
    expect((await a.sync()).state).toBe('idle');
    const [entry] = await listQuarantine(a.db);
    expect(entry).toMatchObject({ kind: 'conversation', key: 'conv_000001', status: 0 });
    expect(entry!.reason).toMatch(/not sent: .*bytes/);
  });
});
