import type { TimerContext } from './reliable-channel';

/**
 * Resolves once the page has stopped changing: no DOM mutation for `quietMs`, or `maxMs` at the latest
 * (pages with a ticking clock or an animation never go quiet). Extracting text before that would catch
 * half-rendered client-side pages.
 */
export function waitForSettle(
  ctx: TimerContext & { onInvalidated(cb: () => void): () => void },
  target: Node,
  { quietMs = 1_000, maxMs = 5_000 }: { quietMs?: number; maxMs?: number } = {},
): Promise<void> {
  return new Promise((resolve) => {
    let quietTimer: number | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      removeInvalidated();
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(quietTimer);
      quietTimer = ctx.setTimeout(finish, quietMs);
    });
    observer.observe(target, { subtree: true, childList: true, characterData: true });
    quietTimer = ctx.setTimeout(finish, quietMs);
    const maxTimer = ctx.setTimeout(finish, maxMs);
    // A torn-down script never resolves: nothing should run after invalidation.
    const removeInvalidated = ctx.onInvalidated(() => {
      done = true;
      observer.disconnect();
    });
  });
}
