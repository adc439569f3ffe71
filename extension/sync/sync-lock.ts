/**
 * One sync at a time across the whole extension: the background (alarm, on-change) and an options page
 * ("Sync now") share the database, and two pushers reading the same outbox would send changes twice
 * under different push ids. Web Locks are shared by every context of the extension's origin; where
 * there are none (Node tests) an in-process queue does the same within the process.
 */

const LOCK_NAME = 'calicolobster-sync';
let tail: Promise<unknown> = Promise.resolve();

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export function withSyncLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks?.request) return locks.request(LOCK_NAME, task);
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
