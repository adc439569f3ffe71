import { randomBytes } from 'node:crypto';
import { CloudApiError, CloudClient } from '../shared/sync/api-client';
import { HlcClock } from '../shared/sync/hlc';
import type { Page } from '../shared/schemas/records';
import type { Account, CrawlState, Task } from './state';

/**
 * Uploads kept pages to the account through the sync API, in batches, as ordinary `page` records (so
 * every device pulls them and the side panel finds them like pages the person read). A batch is
 * written to the state file as "in flight" with its push id before it is sent; after a crash it is sent
 * again with the same id, which the worker answers from memory without applying it twice.
 */
export const BATCH_PAGES = 20;
const RETRIES = 4;

export class Uploader {
  private readonly client: CloudClient;
  private readonly clock: HlcClock;

  constructor(
    private readonly state: CrawlState,
    private readonly account: Account,
    fetchFn?: typeof fetch,
  ) {
    this.client = new CloudClient({ baseUrl: account.workerUrl, token: account.token, fetch: fetchFn });
    this.clock = new HlcClock(`crawl_${account.deviceId.replace(/[^A-Za-z0-9_]/g, '').slice(0, 30)}`, {}, account.hlc ?? undefined);
  }

  /** Sends what is pending (all of it when `all`, else only full batches). */
  async flush(task: Task, all = false): Promise<void> {
    for (;;) {
      if (!task.inflight) {
        if (task.pending.length === 0 || (!all && task.pending.length < BATCH_PAGES)) return;
        const pages = task.pending.splice(0, BATCH_PAGES);
        task.inflight = { pushId: `crawl_${randomBytes(12).toString('base64url')}`, pages };
        this.state.put(task);
        this.state.save();
      }
      const { pushId, pages } = task.inflight;
      const response = await this.pushWithRetry(pushId, pages);
      this.clock.receive(response.serverHlc);
      task.stats.uploaded += pages.length;
      task.inflight = null;
      this.state.account = { ...this.account, hlc: this.clock.current };
      this.state.put(task);
      this.state.save();
    }
  }

  /** A lost answer or a worker that is briefly down is retried with the same push id (applied once);
   * a refusal (400, 401, 413) is not, and stops the crawl with the worker's reason. */
  private async pushWithRetry(pushId: string, pages: Page[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.push({ pushId, changes: pages.map((page) => this.change(page)) });
      } catch (error) {
        if (!(error instanceof CloudApiError) || !error.retryable || attempt >= RETRIES) throw error;
        await new Promise((r) => setTimeout(r, Math.min(30_000, (error.retryAfter ?? 0) * 1000 || 500 * 2 ** attempt)));
      }
    }
  }

  private change(page: Page) {
    return { op: 'put' as const, kind: 'page' as const, key: page.url, hlc: this.clock.now(), data: page };
  }
}
