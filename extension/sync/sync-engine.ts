import { DEFAULT_PULL_LIMIT } from '@shared/schemas/sync';
import { getDb, type CalicoDb } from '@/db/database';
import { createApiClient, SyncApiError, type ApiClient } from './api-client';
import { backoffDelay } from './backoff';
import { DeviceClock } from './device-clock';
import { getArea, type KeyValueArea } from './key-value-area';
import { commitBatch, ensureStarted, nextBatch, type OutboxOptions } from './outbox';
import { applyPulledPage } from './puller';
import { readConfig } from './sync-config';
import { withSyncLock } from './sync-lock';
import { bisectRefused, isRefusal, SERVER_FAILURES_BEFORE_BISECT } from './refusals';
import { CLOCK_KEY, INFLIGHT_KEY, PULL_CURSOR_KEY, readState, writeState } from './sync-state';
import { readStatus, writeStatus, type SyncStatus } from './sync-status';

/**
 * One sync: push everything in the outbox, then pull everything changed on the server since the last
 * pull (which also brings back this device's own pushes as the server merged them — how a note merged
 * with another device's words arrives here). The pull runs whatever became of the push: a change the
 * server refuses is quarantined (refusals.ts) and a push that fails still lets this device receive. Runs under the sync lock; records its outcome in the
 * status; failures back off exponentially unless the person asked ("Sync now").
 */

const STARTUP_QUIET_MS = 30_000;

export type SyncReason = 'manual' | 'alarm' | 'change' | 'startup';

export interface SyncDeps {
  db?: CalicoDb;
  area?: KeyValueArea;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  outbox?: OutboxOptions;
  pullLimit?: number;
}

export async function syncNow(reason: SyncReason, deps: SyncDeps = {}): Promise<SyncStatus> {
  const db = deps.db ?? getDb();
  const area = deps.area ?? getArea();
  const now = deps.now ?? Date.now;

  const config = await readConfig(area, db);
  if (!config.enabled || !config.account) {
    const status = await readStatus(area);
    return status.state === 'off' ? status : writeStatus({ state: 'off', nextAttemptAt: null }, area);
  }
  const before = await readStatus(area);
  if (reason !== 'manual') {
    if (before.authFailed) return before;
    if (before.nextAttemptAt !== null && now() < before.nextAttemptAt) return before;
    // Chrome restarts the service worker often (every message after 30 s idle): a wake-up right after
    // a sync needn't pull again.
    if (reason === 'startup' && before.lastAttemptAt !== null && now() - before.lastAttemptAt < STARTUP_QUIET_MS) return before;
  }

  return withSyncLock(async () => {
    // The account may have changed while we waited for the lock.
    const current = await readConfig(area, db);
    if (!current.enabled || !current.account || current.account.token !== config.account!.token) return readStatus(area);
    await writeStatus({ state: 'syncing', lastAttemptAt: now() }, area);
    try {
      const api = createApiClient({ baseUrl: current.workerUrl, token: current.account.token, fetch: deps.fetch });
      const clock = new DeviceClock(current.account.deviceId, await readState<string>(db, CLOCK_KEY), now);
      await ensureStarted(db);

      // Push and pull are independent: a push the server refuses or fails on must not stop this device
      // from receiving what the other devices did.
      const push = await pushAll(db, api, clock, deps, now);
      if (push.error instanceof SyncApiError && push.error.unauthorized) throw push.error;
      const pull = await pullAll(db, api, clock, deps).then(
        (pulled) => ({ pulled, error: null as unknown }),
        (error: unknown) => ({ pulled: 0, error }),
      );
      const error = push.error ?? pull.error;
      if (error) throw error;

      return await writeStatus(
        { state: 'idle', lastSyncedAt: now(), error: null, authFailed: false, failures: 0, nextAttemptAt: null, pushed: push.pushed, pulled: pull.pulled },
        area,
      );
    } catch (error) {
      return writeStatus(failureStatus(error, await readStatus(area), now(), deps.random), area);
    }
  });
}

/** Pushes every batch the outbox has; a refused batch is narrowed down to the refused change, which is
 * quarantined (refusals.ts), and the rest goes through. Stops at the first failure that isn't a refusal. */
async function pushAll(db: CalicoDb, api: ApiClient, clock: DeviceClock, deps: SyncDeps, now: () => number): Promise<{ pushed: number; error: unknown }> {
  let pushed = 0;
  try {
    const options = { ...deps.outbox, now };
    for (let batch = await nextBatch(db, clock, options); batch; batch = await nextBatch(db, clock, options)) {
      if (batch.changes.length > 0) {
        try {
          const response = await api.push({ pushId: batch.pushId, changes: batch.changes });
          clock.receive(response.serverHlc);
          pushed += batch.changes.length;
        } catch (error) {
          if (isRefusal(error)) {
            await bisectRefused(db, batch, error, now());
            continue;
          }
          if (error instanceof SyncApiError && error.status >= 500) {
            const serverFailures = (batch.serverFailures ?? 0) + 1;
            if (serverFailures >= SERVER_FAILURES_BEFORE_BISECT) await bisectRefused(db, batch, error, now());
            else await writeState(db, INFLIGHT_KEY, { ...batch, serverFailures });
          }
          throw error;
        }
      }
      await commitBatch(db, batch);
      await writeState(db, CLOCK_KEY, clock.current);
    }
    return { pushed, error: null };
  } catch (error) {
    return { pushed, error };
  }
}

async function pullAll(db: CalicoDb, api: ApiClient, clock: DeviceClock, deps: SyncDeps): Promise<number> {
  let pulled = 0;
  for (;;) {
    const cursor = (await readState<string>(db, PULL_CURSOR_KEY)) ?? '';
    const page = await api.pull(cursor, deps.pullLimit ?? DEFAULT_PULL_LIMIT);
    clock.receive(page.serverHlc);
    const applied = await applyPulledPage(db, page, clock);
    pulled += applied.written;
    if (!page.hasMore || page.cursor === cursor) break;
  }
  return pulled;
}

function failureStatus(error: unknown, previous: SyncStatus, at: number, random?: () => number): Partial<SyncStatus> {
  if (error instanceof SyncApiError && error.unauthorized) {
    return {
      state: 'error',
      error: 'The sync server refused this device (it was revoked or its token expired). Sign out and join again.',
      authFailed: true,
      nextAttemptAt: null,
    };
  }
  const failures = previous.failures + 1;
  const wait = Math.max(backoffDelay(failures, { random }), error instanceof SyncApiError && error.retryAfterMs ? error.retryAfterMs : 0);
  const message = error instanceof Error ? error.message : String(error);
  return { state: 'error', error: message, failures, nextAttemptAt: at + wait };
}
