import { liveQuery } from 'dexie';
import type { CalicoDb } from '@/db/database';
import { KeywordSnapshotRefresher, keywordSnapshotLag, type RefreshResult } from './keyword-snapshot-refresh';

/**
 * Keeps the keyword index's snapshot close to the change log while no side panel may be open (issue 15,
 * cold start), from the offscreen document: when the log has run `lag` entries past the snapshot (a
 * browsing day, an import, a sync), a refresh runs — in a dedicated worker where one can be started,
 * so the main thread all extension pages share stays free. The worker keeps its copy of the index while
 * writes keep coming and is ended a minute after the last refresh, so that second copy lives only
 * while the snapshot is being brought up to date.
 */

export interface KeeperOptions {
  db: CalicoDb;
  /** Change-log entries the snapshot may lag before a refresh. */
  lag?: number;
  /** Quiet time after a change before checking (writes come in bursts). */
  settleMs?: number;
  /** Least time between two refreshes' starts. */
  minIntervalMs?: number;
  /** Runs one refresh (default: in a dedicated worker, else here). */
  refresh?: () => Promise<RefreshResult>;
  log?: (line: string) => void;
}

/** A dedicated worker that refreshes on request and is ended after `idleMs` without one. */
export class WorkerRefresher {
  private worker: Worker | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly idleMs = 60_000) {}

  refresh(): Promise<RefreshResult> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= new Worker(new URL('./keyword-snapshot.worker.ts', import.meta.url), { type: 'module' }));
    return new Promise<RefreshResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ ok: boolean; result?: RefreshResult; error?: string }>) => {
        this.idleTimer = setTimeout(() => this.end(), this.idleMs);
        if (event.data.ok && event.data.result) resolve(event.data.result);
        else reject(new Error(event.data.error ?? 'keyword snapshot refresh failed'));
      };
      worker.onerror = (event) => {
        this.end();
        reject(new Error(event.message || 'keyword snapshot worker failed'));
      };
      worker.postMessage('refresh');
    });
  }

  end(): void {
    clearTimeout(this.idleTimer);
    this.worker?.terminate();
    this.worker = undefined;
  }
}

export class KeywordSnapshotKeeper {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopLive: (() => void) | undefined;
  private lastRefresh = -Infinity;
  private readonly refresher: () => Promise<RefreshResult>;

  constructor(private readonly o: KeeperOptions) {
    if (o.refresh) this.refresher = o.refresh;
    else if (typeof Worker === 'function') {
      const worker = new WorkerRefresher();
      this.refresher = () => worker.refresh();
    } else {
      const here = new KeywordSnapshotRefresher(o.db);
      this.refresher = () => here.refresh();
    }
  }

  private async refresh(): Promise<RefreshResult> {
    // Each refresh writes the whole snapshot: during a long import, at most one per interval.
    const wait = this.lastRefresh + (this.o.minIntervalMs ?? 10_000) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await this.refresher();
    } finally {
      this.lastRefresh = Date.now();
    }
  }

  /** Refreshes while the snapshot lags; concurrent calls fold into one more pass. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if ((await keywordSnapshotLag(this.o.db)) < (this.o.lag ?? 200)) continue;
          const r = await this.refresh();
          this.o.log?.(`keyword snapshot: ${r.size} documents at ${r.position} in ${r.ms.toFixed(0)} ms`);
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Checks now and after each burst of writes to the change log. */
  start(): void {
    if (this.stopLive) return;
    const subscription = liveQuery(() => this.o.db.changes.orderBy('seq').lastKey()).subscribe({
      // Throttled, not debounced: writes that never pause (an import) must not starve the refresh.
      next: () => {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          void this.check().catch((error) => console.warn('keyword snapshot refresh failed', error));
        }, this.o.settleMs ?? 2000);
      },
    });
    this.stopLive = () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      subscription.unsubscribe();
    };
  }

  stop(): void {
    this.stopLive?.();
    this.stopLive = undefined;
  }

  /** Resolves when no refresh is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
