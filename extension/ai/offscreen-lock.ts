/**
 * One model, two kinds of callers: the indexing queue (background, can wait) and a person's query (now).
 * onnxruntime-web runs one inference at a time per session, so calls are serialised here, and a waiting
 * query always goes before waiting indexing work.
 *
 * `beforeBackground` (e.g. yieldToEvents) runs before the lock passes to a background task: inside the
 * embedder's worker a query arrives as a message event, which is delivered only between tasks, so without
 * that pause the next indexing batch would start (in the same microtask) before the query is even seen.
 */
export class PriorityLock {
  private busy = false;
  private readonly urgent: (() => void)[] = [];
  private readonly background: (() => void)[] = [];

  constructor(private readonly beforeBackground?: () => Promise<void>) {}

  async run<T>(priority: 'urgent' | 'background', task: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (priority === 'urgent' ? this.urgent : this.background).push(resolve));
    else if (priority === 'background' && this.beforeBackground) {
      // Held while pausing, so a query arriving in the pause queues as urgent and goes first.
      this.busy = true;
      await this.beforeBackground();
      if (this.urgent.length) {
        await new Promise<void>((resolve) => {
          this.background.unshift(resolve);
          this.urgent.shift()!();
        });
      }
    }
    this.busy = true;
    try {
      return await task();
    } finally {
      void this.release();
    }
  }

  private async release(): Promise<void> {
    const urgent = this.urgent.shift();
    if (urgent) return urgent();
    if (this.background.length && this.beforeBackground) {
      await this.beforeBackground();
      const next = this.urgent.shift() ?? this.background.shift();
      return next ? next() : void (this.busy = false);
    }
    const next = this.background.shift();
    if (next) next();
    else this.busy = false;
  }

  /** Whether a query is waiting (the queue yields between batches when one is). */
  get urgentWaiting(): boolean {
    return this.urgent.length > 0;
  }
}

/** Resolves after the event loop has had a turn (pending messages delivered). A MessageChannel rather than
 * setTimeout(0), which browsers clamp to 4 ms once nested. */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
