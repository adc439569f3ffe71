/**
 * One model, two kinds of callers: the indexing queue (background, can wait) and a person's query (now).
 * onnxruntime-web runs one inference at a time per session, so calls are serialised here, and a waiting
 * query always goes before waiting indexing work.
 */
export class PriorityLock {
  private busy = false;
  private readonly urgent: (() => void)[] = [];
  private readonly background: (() => void)[] = [];

  async run<T>(priority: 'urgent' | 'background', task: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (priority === 'urgent' ? this.urgent : this.background).push(resolve));
    this.busy = true;
    try {
      return await task();
    } finally {
      const next = this.urgent.shift() ?? this.background.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  /** Whether a query is waiting (the queue yields between batches when one is). */
  get urgentWaiting(): boolean {
    return this.urgent.length > 0;
  }
}
