import { DEFAULT_PULL_LIMIT } from '@shared/schemas/sync';
import { getDb, type CalicoDb } from '@/db/database';
import { createApiClient, SyncApiError } from './api-client';
import { backoffDelay } from './backoff';
import { DeviceClock } from './device-clock';
import { getArea, type KeyValueArea } from './key-value-area';
import { commitBatch, ensureStarted, nextBatch, type OutboxOptions } from './outbox';
import { applyPulledPage } from './puller';
import { readConfig } from './sync-config';
import { withSyncLock } from './sync-lock';
import { CLOCK_KEY, PULL_CURSOR_KEY, readState, writeState } from './sync-state';
import { readStatus, writeStatus, type SyncStatus } from './sync-status';

/**
 * One sync: push everything in the outbox, then pull everything changed on the server since the last
 * pull (which also brings back this device's own pushes as the server merged them — how a note merged
 * with another device's words arrives here). Runs under the sync lock; records its outcome in the
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

  const config = await readConfig(area);
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
    const current = await readConfig(area);
    if (!current.enabled || !current.account || current.account.token !== config.account!.token) return readStatus(area);
    await writeStatus({ state: 'syncing', lastAttemptAt: now() }, area);
    try {
      const api = createApiClient({ baseUrl: current.workerUrl, token: current.account.token, fetch: deps.fetch });
      const clock = new DeviceClock(current.account.deviceId, await readState<string>(db, CLOCK_KEY), now);
      await ensureStarted(db);

      let pushed = 0;
      for (let batch = await nextBatch(db, clock, deps.outbox); batch; batch = await nextBatch(db, clock, deps.outbox)) {
        if (batch.changes.length > 0) {
          const response = await api.push({ pushId: batch.pushId, changes: batch.changes });
          clock.receive(response.serverHlc);
          pushed += batch.changes.length;
        }
        await commitBatch(db, batch);
        await writeState(db, CLOCK_KEY, clock.current);
      }

      let pulled = 0;
      for (;;) {
        const cursor = (await readState<string>(db, PULL_CURSOR_KEY)) ?? '';
        const page = await api.pull(cursor, deps.pullLimit ?? DEFAULT_PULL_LIMIT);
        clock.receive(page.serverHlc);
        const applied = await applyPulledPage(db, page, clock);
        pulled += applied.written;
        if (!page.hasMore || page.cursor === cursor) break;
      }

      return await writeStatus(
        { state: 'idle', lastSyncedAt: now(), error: null, authFailed: false, failures: 0, nextAttemptAt: null, pushed, pulled },
        area,
      );
    } catch (error) {
      return writeStatus(failureStatus(error, await readStatus(area), now(), deps.random), area);
    }
  });
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
