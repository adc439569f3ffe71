import type { Change } from '@shared/schemas/sync';
import type { CalicoDb } from '@/db/database';
import { SyncApiError } from './api-client';
import { commitBatch } from './outbox';
import { newPushId, quarantine } from './quarantine';
import { INFLIGHT_KEY, writeState, type InflightBatch } from './sync-state';

/**
 * What happens when the server refuses a push. A refused batch (4xx: the server validated it and
 * applied nothing) is cut in halves that are sent on their own, down to the single change the server
 * refuses; that change goes into the quarantine (the `syncQuarantine` table, shown in the sync panel
 * with the server's reason) and every other change of the batch goes through. A quarantined record is
 * pushed again from its current state after a delay, when the person asks ("Retry"), or as soon as it
 * is edited again; an acknowledged push of it clears the entry.
 *
 * A 5xx or a network error is not a refusal: the same batch is resent after a backoff. Only a batch
 * the server failed on SERVER_FAILURES_BEFORE_BISECT times in a row is bisected too (a change that
 * makes the server fail every time must not hold back the rest), and its lone culprit quarantined.
 */

export const SERVER_FAILURES_BEFORE_BISECT = 5;

/** A push answer that means "this batch will never be accepted as it is". */
export function isRefusal(error: unknown): error is SyncApiError {
  return error instanceof SyncApiError && error.status >= 400 && error.status < 500 && !error.unauthorized && error.status !== 408 && error.status !== 429;
}

/**
 * Settles a batch the server refused (or failed on too often): a single change is quarantined and the
 * batch committed without it; a bigger batch is replaced in flight by its first half, the second half
 * queued behind it (`then`), each with a new push id (nothing of the refused batch was applied).
 */
export async function bisectRefused(db: CalicoDb, batch: InflightBatch, error: SyncApiError, now: number): Promise<void> {
  if (batch.changes.length <= 1) {
    const change = batch.changes[0];
    await db.transaction('rw', db.state, db.cursors, db.syncQuarantine, async () => {
      if (change) await quarantine(db, change, error, now);
      // Acknowledge the rest of the bookkeeping (cursor, scan position) without the refused change.
      await commitBatch(db, { ...batch, changes: [], shadows: [] });
    });
    return;
  }
  const mid = Math.ceil(batch.changes.length / 2);
  const shadowsOf = (changes: Change[]) => batch.shadows.filter((s) => changes.some((c) => c.kind === s.kind && c.key === s.key));
  const firstChanges = batch.changes.slice(0, mid);
  const restChanges = batch.changes.slice(mid);
  const rest: InflightBatch = {
    pushId: newPushId(),
    changes: restChanges,
    shadows: shadowsOf(restChanges),
    upToSeq: batch.upToSeq,
    scanNext: batch.scanNext,
    then: batch.then ?? null,
  };
  const first: InflightBatch = { pushId: newPushId(), changes: firstChanges, shadows: shadowsOf(firstChanges), upToSeq: null, scanNext: null, then: rest };
  await writeState(db, INFLIGHT_KEY, first);
}

