import type { Lifetime } from './overlay';

/** Test double of WXT's ContentScriptContext: listeners and timers that end with `invalidate()`. */
export function testLifetime(): Lifetime & { invalidate(): void } {
  const controller = new AbortController();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const life = {
    addEventListener(target: EventTarget, type: string, handler: (e: Event) => void, options?: AddEventListenerOptions) {
      target.addEventListener(type, handler, { ...options, signal: controller.signal });
    },
    setTimeout(handler: () => void, ms: number) {
      const id = setTimeout(() => {
        timers.delete(id);
        if (!controller.signal.aborted) handler();
      }, ms);
      timers.add(id);
      return id as unknown as number;
    },
    onInvalidated(cb: () => void) {
      controller.signal.addEventListener('abort', cb);
      return () => controller.signal.removeEventListener('abort', cb);
    },
    invalidate() {
      for (const id of timers) clearTimeout(id);
      controller.abort();
    },
  };
  return life as unknown as Lifetime & { invalidate(): void };
}
