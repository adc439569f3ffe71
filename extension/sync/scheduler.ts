import { liveQuery } from 'dexie';
import { getDb } from '@/db/database';
import { hasPending } from './pending';
import { watchConfig } from './sync-config';
import { syncNow, type SyncReason } from './sync-engine';

/**
 * When sync runs, in the background service worker: shortly after local changes (debounced, so a burst
 * of edits is one push), on a periodic alarm (which also wakes a worker Chrome has stopped, and is
 * how changes from other devices arrive), when the configuration changes (account created, switched
 * on), and at start-up. syncNow itself skips attempts during a backoff and serialises runs.
 */

export const SYNC_ALARM = 'calicolobster-sync';
const DEBOUNCE_MS = 2_000;
/** Browsing logs a change every few seconds (visit heartbeats): pushes for changes are spaced at least
 * this far apart, so an open tab doesn't mean a request every heartbeat. */
const MIN_CHANGE_INTERVAL_MS = 15_000;
let lastChangeRun = 0;
/** Chrome runs alarms at most every 30 s; a minute is plenty for a background pull. */
const PERIOD_MINUTES = 1;
/** A backoff shorter than this is waited out with a timer rather than the next alarm. */
const SHORT_RETRY_MS = 60_000;

let debounce: ReturnType<typeof setTimeout> | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;

async function run(reason: SyncReason): Promise<void> {
  try {
    const status = await syncNow(reason);
    clearTimeout(retry);
    const wait = status.nextAttemptAt !== null ? status.nextAttemptAt - Date.now() : Infinity;
    if (status.state === 'error' && wait < SHORT_RETRY_MS) retry = setTimeout(() => void run('alarm'), Math.max(0, wait) + 50);
  } catch (error) {
    console.warn('sync failed', error);
  }
}

export function startSyncScheduler(): void {
  // Listeners first and synchronously: an alarm that wakes the worker is delivered only to listeners
  // registered during its first turn.
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void run('alarm');
  });
  void chrome.alarms.get(SYNC_ALARM).then((existing) => {
    if (!existing) void chrome.alarms.create(SYNC_ALARM, { periodInMinutes: PERIOD_MINUTES });
  });

  let first = true;
  liveQuery(() => getDb().changes.orderBy('seq').lastKey()).subscribe({
    next: () => {
      if (first) {
        first = false;
        return;
      }
      clearTimeout(debounce);
      const wait = Math.max(DEBOUNCE_MS, lastChangeRun + MIN_CHANGE_INTERVAL_MS - Date.now());
      debounce = setTimeout(() => {
        // Pulled records are logged too; only local changes are worth a push.
        void hasPending(getDb()).then((pending) => {
          if (!pending) return;
          lastChangeRun = Date.now();
          void run('change');
        });
      }, wait);
    },
    error: (error) => console.warn('sync change watch failed', error),
  });
  watchConfig(() => void run('change'));
  void run('startup');
}
