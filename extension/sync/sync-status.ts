import { z } from 'zod';
import { getArea, type KeyValueArea } from './key-value-area';

/**
 * What the last sync did, in chrome.storage.local so every surface shows the same thing the background
 * last wrote. The pending count is not here: surfaces count it live from the change log (pending.ts).
 */

export const STATUS_KEY = 'sync.status';

export const SyncState = z.enum(['off', 'idle', 'syncing', 'error']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  state: SyncState.default('off'),
  /** When a full push + pull last completed. */
  lastSyncedAt: z.number().nullable().default(null),
  lastAttemptAt: z.number().nullable().default(null),
  error: z.string().nullable().default(null),
  /** The worker refused this device's token (revoked or expired): syncing stops until it joins again. */
  authFailed: z.boolean().default(false),
  /** Consecutive failed attempts; drives the backoff. */
  failures: z.number().int().nonnegative().default(0),
  /** No automatic attempt before this time (backoff); "Sync now" ignores it. */
  nextAttemptAt: z.number().nullable().default(null),
  pushed: z.number().int().nonnegative().default(0),
  pulled: z.number().int().nonnegative().default(0),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export function emptyStatus(): SyncStatus {
  return SyncStatus.parse({});
}

export async function readStatus(area: KeyValueArea = getArea()): Promise<SyncStatus> {
  const parsed = SyncStatus.safeParse((await area.get(STATUS_KEY)) ?? {});
  return parsed.success ? parsed.data : emptyStatus();
}

export async function writeStatus(patch: Partial<SyncStatus>, area: KeyValueArea = getArea()): Promise<SyncStatus> {
  const next = SyncStatus.parse({ ...(await readStatus(area)), ...patch });
  await area.set(STATUS_KEY, next);
  return next;
}

export function watchStatus(listener: (status: SyncStatus) => void, area: KeyValueArea = getArea()): () => void {
  return area.watch(STATUS_KEY, (value) => {
    const parsed = SyncStatus.safeParse(value ?? {});
    listener(parsed.success ? parsed.data : emptyStatus());
  });
}
