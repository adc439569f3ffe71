import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { Page } from '../shared/schemas/records';

/**
 * The CLI's own file: crawl tasks (options, frontier, what was seen, pages waiting to upload, the batch
 * in flight) and the account it uploads to. Written whole and atomically (temp file + rename) after
 * every page, so a crawl killed at any moment resumes from its last page: nothing fetched twice that was
 * already kept, nothing uploaded twice (the batch in flight is resent with its own push id, which the
 * worker answers without applying twice).
 */

export const DEFAULT_STATE_FILE = join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'calicolobster', 'crawls.json');

export const CrawlOptions = z.object({
  maxPages: z.number().int().min(1).max(1_000_000).default(500),
  depth: z.number().int().min(0).max(100).default(5),
  include: z.array(z.string().min(1).max(512)).max(50).default([]),
  exclude: z.array(z.string().min(1).max(512)).max(50).default([]),
  /** Parallel requests to the site; the robots Crawl-delay (or --delay) spaces them further. */
  concurrency: z.number().int().min(1).max(8).default(2),
  /** Seconds between requests when robots.txt asks for none. */
  delay: z.number().min(0).max(60).default(0.5),
  timeoutMs: z.number().int().min(100).max(120_000).default(20_000),
  maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  dryRun: z.boolean().default(false),
});
export type CrawlOptions = z.infer<typeof CrawlOptions>;

const QueueItem = z.object({ url: z.string(), depth: z.number().int() });

export const Task = z.object({
  id: z.string(),
  startUrl: z.string().url(),
  options: CrawlOptions,
  status: z.enum(['queued', 'running', 'paused', 'done', 'failed']),
  error: z.string().nullable().default(null),
  pid: z.number().int().nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
  frontier: z.array(QueueItem),
  seen: z.array(z.string()),
  hashes: z.array(z.string()),
  pending: z.array(Page),
  inflight: z.object({ pushId: z.string(), pages: z.array(Page) }).nullable().default(null),
  stats: z.object({ fetched: z.number().int(), kept: z.number().int(), uploaded: z.number().int(), skipped: z.record(z.string(), z.number().int()) }),
});
export type Task = z.infer<typeof Task>;

export const Account = z.object({ workerUrl: z.string().url(), userId: z.string(), deviceId: z.string(), token: z.string(), hlc: z.string().nullable().default(null) });
export type Account = z.infer<typeof Account>;

const StateFile = z.object({ version: z.literal(1), account: Account.nullable().default(null), tasks: z.record(z.string(), Task).default({}) });
export type StateFile = z.infer<typeof StateFile>;

export class CrawlState {
  private data: StateFile;
  constructor(readonly path: string = DEFAULT_STATE_FILE) {
    this.data = this.read();
  }

  private read(): StateFile {
    if (!existsSync(this.path)) return { version: 1, account: null, tasks: {} };
    const parsed = StateFile.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success) throw new Error(`${this.path} is not a crawl state file this version understands: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  /** Re-reads the file: another process may have paused or removed a task. */
  reload(): void {
    this.data = this.read();
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.path);
    // The file holds the account's token: only its owner may read it.
    chmodSync(this.path, 0o600);
  }

  get account(): Account | null {
    return this.data.account;
  }
  set account(account: Account | null) {
    this.data.account = account;
  }

  tasks(): Task[] {
    return Object.values(this.data.tasks).sort((a, b) => a.createdAt - b.createdAt);
  }

  task(id: string): Task | undefined {
    return this.data.tasks[id] ?? this.tasks().find((t) => t.id.startsWith(id));
  }

  put(task: Task): void {
    task.updatedAt = Date.now();
    this.data.tasks[task.id] = task;
  }

  remove(id: string): boolean {
    const task = this.task(id);
    if (!task) return false;
    delete this.data.tasks[task.id];
    return true;
  }
}

export function newTask(startUrl: string, options: Partial<CrawlOptions>, now = Date.now()): Task {
  const id = `crawl_${now.toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  return Task.parse({
    id,
    startUrl,
    options: CrawlOptions.parse(options),
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    frontier: [],
    seen: [],
    hashes: [],
    pending: [],
    stats: { fetched: 0, kept: 0, uploaded: 0, skipped: {} },
  });
}
