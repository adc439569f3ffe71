/**
 * Exponential backoff while the worker can't be reached: 5 s, 10 s, 20 s … capped at 15 minutes, with
 * jitter so many devices coming back online together don't retry in lockstep.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 15 * 60_000;

/** Delay before the next attempt after `failures` consecutive failures (≥ 1). */
export function backoffDelay(failures: number, { baseMs = BACKOFF_BASE_MS, maxMs = BACKOFF_MAX_MS, random = Math.random }: BackoffOptions = {}): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  // Between half and all of the exponential delay ("equal jitter").
  return Math.round(exp / 2 + (exp / 2) * random());
}
