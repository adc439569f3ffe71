import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createDb, setDbForTesting, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import { createAccount } from './accounts';
import { memoryArea, setAreaForTesting, type KeyValueArea } from './key-value-area';
import { startSyncScheduler, SYNC_ALARM } from './scheduler';
import { readStatus } from './sync-status';
import { highlight, WORKER } from './test-support/devices';
import { MemoryServer } from './test-support/memory-server';

// The background's triggers, with chrome.alarms faked (the only chrome API the scheduler touches here).
let db: CalicoDb;
let area: KeyValueArea;
const server = new MemoryServer();
const alarms = new Map<string, chrome.alarms.AlarmCreateInfo>();
const alarmListeners: ((alarm: chrome.alarms.Alarm) => void)[] = [];

beforeAll(() => {
  db = createDb('scheduler-test');
  area = memoryArea();
  setDbForTesting(db);
  setAreaForTesting(area);
  vi.stubGlobal('fetch', server.fetch);
  vi.stubGlobal('chrome', {
    alarms: {
      get: async (name: string) => (alarms.has(name) ? { name } : undefined),
      create: async (name: string, info: chrome.alarms.AlarmCreateInfo) => void alarms.set(name, info),
      onAlarm: { addListener: (l: (alarm: chrome.alarms.Alarm) => void) => alarmListeners.push(l) },
    },
  });
});

afterAll(() => {
  setDbForTesting(undefined);
  setAreaForTesting(undefined);
  vi.unstubAllGlobals();
});

const pushes = () => server.requests.filter((r) => r.path === '/v1/sync/push').length;
const pulls = () => server.requests.filter((r) => r.path === '/v1/sync/pull').length;

async function until(probe: () => boolean | Promise<boolean>, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('periodic alarm, sync on config change, debounced sync on local change, nothing while signed out', async () => {
  startSyncScheduler();
  await until(() => alarms.has(SYNC_ALARM), 'the alarm to be created');
  expect(alarms.get(SYNC_ALARM)!.periodInMinutes).toBe(1);
  expect(alarmListeners).toHaveLength(1);

  // Signed out: a local change and the alarm make no request.
  await putRecords('highlights', [highlight('hl_before01')], db);
  alarmListeners[0]!({ name: SYNC_ALARM, scheduledTime: Date.now() } as chrome.alarms.Alarm);
  await new Promise((r) => setTimeout(r, 2_500));
  expect(server.requests).toHaveLength(0);

  // Creating the account (a config change) syncs at once: the highlight made before goes up.
  await createAccount(WORKER, 'laptop', { db, area });
  await until(async () => (await readStatus(area)).lastSyncedAt !== null, 'the first sync');
  expect(server.pushes.flatMap((p) => p.changes.map((c) => c.key))).toEqual(['hl_before01']);

  // A local change is pushed by itself, after the debounce (and spaced from the previous change run).
  const before = pushes();
  await putRecords('highlights', [highlight('hl_after001')], db);
  await until(() => pushes() > before, 'a push after the local change', 25_000);
  expect(server.pushes.at(-1)!.changes.map((c) => c.key)).toEqual(['hl_after001']);

  // The alarm pulls (other devices' changes arrive this way).
  const pullsBefore = pulls();
  alarmListeners[0]!({ name: SYNC_ALARM, scheduledTime: Date.now() } as chrome.alarms.Alarm);
  await until(() => pulls() > pullsBefore, 'a pull on the alarm');
}, 60_000);
