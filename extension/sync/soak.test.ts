import { describe, expect, test, vi } from 'vitest';
import type { Highlight } from '@shared/schemas/records';
import type { Change } from '@shared/schemas/sync';
import { applyChange, canonicalJson, type RecordState } from '@shared/sync/merge';
import { deleteRecords, putRecords, updateRecord } from '@/db/change-log';
import { createAccount, createPairingCode, joinAccount } from './accounts';
import { listQuarantine, retryQuarantineNow } from './quarantine';
import { highlight, makeDevice, WORKER, type TestDevice } from './test-support/devices';
import { MemoryServer } from './test-support/memory-server';

/**
 * Sync soak: three devices make a few thousand random edits and deletes of a small set of highlights
 * (so they conflict all the time) and sync at random, through a server that drops requests, loses
 * answers and has bad moments (500s); one device's clock runs 30 minutes fast for a third of the run
 * (the server refuses its changes, which wait in its quarantine) and is then corrected — its hybrid
 * clock stays ahead until real time catches up, so its changes keep being refused until then. At the end,
 * once the network is good and the quarantine retried, every device holds exactly the server's
 * records, and every change the server acknowledged is either in the final state or was overtaken by
 * a newer change of the same field (or a newer delete). Seeded, so a failure replays exactly.
 */

const MINUTE = 60_000;
const OPERATIONS = 2_000;
const IDS = Array.from({ length: 12 }, (_, i) => `hl_soak${String(i).padStart(4, '0')}`);
const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function localChange(d: TestDevice, random: () => number, step: number): Promise<void> {
  const id = IDS[Math.floor(random() * IDS.length)]!;
  const existing = await d.db.highlights.get(id);
  const r = random();
  const now = Date.now();
  if (!existing) {
    if (r < 0.7) await putRecords('highlights', [highlight(id, { note: `made at ${step}`, createdAt: now, updatedAt: now })], d.db);
    return;
  }
  if (r < 0.12) await deleteRecords('highlights', [id], d.db);
  else if (r < 0.5) await updateRecord<Highlight>('highlights', id, (h) => ({ ...h, color: COLORS[Math.floor(random() * 5)]!, updatedAt: now }), d.db);
  else if (r < 0.65) await updateRecord<Highlight>('highlights', id, (h) => ({ ...h, pageTitle: `Title ${step}`, updatedAt: now }), d.db);
  else await updateRecord<Highlight>('highlights', id, (h) => ({ ...h, note: `${h.note}\nline ${step}`.slice(-2_000), updatedAt: now }), d.db);
}

describe('sync soak', () => {
  test(`three devices, ${OPERATIONS} random operations, flaky network, one wrong clock: all converge, nothing acknowledged is lost`, async () => {
    const random = rng(20_261_203);
    const server = new MemoryServer();
    let skew = 30 * MINUTE;
    const devices = [makeDevice(server), makeDevice(server), makeDevice(server, { now: () => Date.now() + skew })];
    const [a, b, c] = devices as [TestDevice, TestDevice, TestDevice];
    const config = await createAccount(WORKER, 'a', a.deps);
    for (const d of [b, c]) await joinAccount(WORKER, (await createPairingCode(a.deps)).code, 'other', d.deps);
    const userId = config.account!.userId;

    const clockFixedAt = Math.floor(OPERATIONS / 3);
    for (let step = 0; step < OPERATIONS; step++) {
      if (step === clockFixedAt) skew = 0;
      const which = Math.floor(random() * 3);
      const d = devices[which]!;
      if (random() < 0.1) {
        const fault = random();
        server.offline = fault < 0.1;
        if (fault >= 0.1 && fault < 0.2) server.loseNextResponse = true;
        if (fault >= 0.2 && fault < 0.27) server.failPushes = 1;
        await d.sync();
        server.offline = false;
        server.loseNextResponse = false;
        server.failPushes = 0;
      } else if (which === 2 && step < clockFixedAt) {
        // The wrong clock is the machine's: the change log stamps its entries with it too.
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skew });
        try {
          await localChange(d, random, step);
        } finally {
          vi.useRealTimers();
        }
      } else {
        await localChange(d, random, step);
      }
    }

    // The clock has been right for a while (the server's clock has moved past C's fast stamps), the
    // network is good, C retries its quarantine; a few rounds settle everything.
    server.now = () => Date.now() + 25 * MINUTE;
    expect((await listQuarantine(c.db)).length).toBeGreaterThan(0);
    await retryQuarantineNow(c.db);
    for (let round = 0; round < 3; round++) for (const d of devices) expect((await d.sync()).state).toBe('idle');
    for (const d of devices) expect(await listQuarantine(d.db)).toEqual([]);

    // Every device holds exactly the server's records.
    const serverRecords = [...server.liveRecords(userId).entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, data]) => canonicalJson(data));
    expect(serverRecords.length).toBeGreaterThan(0);
    for (const d of devices) {
      const local = (await d.db.highlights.orderBy('id').toArray()).map((h) => canonicalJson(h));
      expect(local).toEqual(serverRecords);
    }

    // Nothing acknowledged is missing: each accepted change is in the final state or overtaken.
    const states = server.states(userId);
    const accepted: Change[] = server.pushes.flatMap((p) => p.changes);
    expect(accepted.length).toBeGreaterThan(OPERATIONS / 20);
    for (const change of accepted) {
      const state = states.get(`${change.kind}:${change.key}`)!;
      if (change.op === 'delete') {
        expect(state.deletedHlc! >= change.hlc).toBe(true);
        continue;
      }
      for (const field of change.fields ?? Object.keys(change.data)) expect(state.fieldHlcs[field]! >= change.hlc, `${change.key}.${field}`).toBe(true);
    }
    // And the server's state is what those changes give in any order (replayed reversed, each twice).
    const replay = new Map<string, RecordState>();
    for (const change of [...accepted].reverse().flatMap((x) => [x, x])) {
      const id = `${change.kind}:${change.key}`;
      replay.set(id, applyChange(replay.get(id), change).state);
    }
    for (const [id, state] of states) expect(canonicalJson(replay.get(id))).toBe(canonicalJson(state));
  }, 180_000);
});
