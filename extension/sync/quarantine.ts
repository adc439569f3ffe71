import type { Change } from '@shared/schemas/sync';
import type { CalicoDb, QuarantineRow } from '@/db/database';
import type { SyncApiError } from './api-client';

/**
 * The sync quarantine: changes the server refused, one entry per record (the `syncQuarantine` table),
 * shown in the sync panel with the server's reason. A quarantined record is pushed again from its
 * current state after a delay that doubles each time, when the person asks ("Retry"), or as soon as it
 * is edited again; an acknowledged push of it clears the entry (outbox.ts commitBatch). How a refused
 * batch is narrowed down to its refused change: refusals.ts.
 */

const RETRY_BASE_MS = 10 * 60_000;
const RETRY_MAX_MS = 12 * 60 * 60_000;

export function quarantineId(kind: string, key: string): string {
  return `${kind}:${key}`;
}

/** Delay before a quarantined record is tried again on its own. */
export function retryDelay(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(20, attempts - 1)));
}

export async function quarantine(db: CalicoDb, change: Change, error: SyncApiError, now: number): Promise<void> {
  await quarantineRecord(db, change.kind, change.key, error.message, error.status, now);
}

/** Quarantines a record (status 0: this device refused to send it, e.g. too big for the protocol). */
export async function quarantineRecord(db: CalicoDb, kind: string, key: string, reason: string, status: number, now: number): Promise<void> {
  const id = quarantineId(kind, key);
  const prior = await db.syncQuarantine.get(id);
  const attempts = (prior?.attempts ?? 0) + 1;
  const row: QuarantineRow = {
    id,
    kind,
    key,
    reason: reason.slice(0, 500),
    status,
    at: prior?.at ?? now,
    attempts,
    retryAt: now + retryDelay(attempts),
  };
  await db.syncQuarantine.put(row);
}

/** Entries due for another try (oldest first). */
export async function dueQuarantine(db: CalicoDb, now: number, limit: number): Promise<QuarantineRow[]> {
  return db.syncQuarantine.where('retryAt').belowOrEqual(now).limit(limit).toArray();
}

export async function listQuarantine(db: CalicoDb): Promise<QuarantineRow[]> {
  return db.syncQuarantine.orderBy('retryAt').toArray();
}

/** "Retry": every quarantined record is pushed again with the next sync. */
export async function retryQuarantineNow(db: CalicoDb): Promise<number> {
  return db.syncQuarantine.toCollection().modify({ retryAt: 0 });
}

export function newPushId(): string {
  return `p${crypto.randomUUID().replace(/-/g, '')}`;
}
