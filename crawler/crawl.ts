import { createHash } from 'node:crypto';
import { Page } from '../shared/schemas/records';
import { siteOf } from '../extension/capture/normalize-url';
import { computeSignals } from '../shared/signals/content-signals';
import { fetchPage, type SkipReason } from './fetch-page';
import { readPage } from './read-page';
import { fetchRobots, type Robots } from './robots';
import { crawlKey, createScope, type Scope } from './scope';
import { readSitemaps } from './sitemap';
import type { CrawlState, Task } from './state';
import type { Uploader } from './uploader';

/**
 * A breadth-first crawl of one site: the start URL and the site's sitemaps seed the frontier at depth 0
 * and 1; each page's in-scope links go one level deeper, up to --depth and --max-pages. Politeness:
 * robots.txt decides what may be fetched, requests to the host are spaced by its Crawl-delay (or
 * --delay) and at most --concurrency run at once. Dedupe: by normalised URL before fetching, by canonical
 * URL and by a hash of the clean text after. After every page the task is saved, so it can resume.
 */

export interface PageReport {
  url: string;
  status: number;
  title?: string;
  words?: number;
  /** Content signals: detected language and spam score (0–1). */
  lang?: string;
  spamScore?: number;
  skipped?: SkipReason;
}

export interface CrawlDeps {
  state: CrawlState;
  fetch?: typeof fetch;
  uploader?: Uploader | null;
  /** Each fetched (or refused) page, as it happens. */
  onPage?: (report: PageReport, task: Task) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

export type CrawlOutcome = 'done' | 'paused' | 'stopped';

export async function runCrawl(task: Task, deps: CrawlDeps): Promise<CrawlOutcome> {
  const fetchFn = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const { state, signal } = deps;
  const scope: Scope = createScope(task.startUrl, task.options);
  const origin = new URL(task.startUrl).origin;
  const robots: Robots = await fetchRobots(origin, fetchFn, signal);
  if (robots.unreachable) {
    task.status = 'failed';
    task.error = `${robots.unreachable}: the site's rules are unknown, so nothing was crawled`;
    state.put(task);
    state.save();
    return 'stopped';
  }
  const seen = new Set(task.seen);
  const hashes = new Set(task.hashes);
  const delayMs = Math.max(robots.crawlDelay() ?? 0, task.options.delay) * 1000;

  const enqueue = (url: string, depth: number) => {
    const key = crawlKey(url);
    if (!key || seen.has(key) || !scope.contains(key) || depth > task.options.depth) return;
    seen.add(key);
    task.frontier.push({ url: key, depth });
  };

  if (task.status === 'queued') {
    enqueue(task.startUrl, 0);
    const sitemapUrls = robots.sitemaps().length ? robots.sitemaps() : [`${origin}/sitemap.xml`];
    for (const url of await readSitemaps(sitemapUrls, fetchFn, signal)) enqueue(url, 1);
  }
  task.status = 'running';
  task.pid = process.pid;
  const persist = () => {
    task.seen = [...seen];
    task.hashes = [...hashes];
    state.put(task);
    state.save();
  };
  persist();

  const skip = (url: string, status: number, reason: SkipReason) => {
    task.stats.skipped[reason] = (task.stats.skipped[reason] ?? 0) + 1;
    deps.onPage?.({ url, status, skipped: reason }, task);
  };

  // One request at a time claims the next start; its start is taken after the wait, so a busy event loop
  // (Readability parsing a page) delays requests rather than bunching them up.
  let gate: Promise<void> = Promise.resolve();
  let lastStart = -Infinity;
  const turn = (): Promise<void> => {
    const mine = gate.then(async () => {
      const wait = lastStart + delayMs - now();
      if (wait > 0) await sleep(wait, signal);
      lastStart = now();
    });
    gate = mine.catch(() => undefined);
    return mine;
  };

  const visit = async (item: { url: string; depth: number }) => {
    if (!robots.isAllowed(item.url)) return skip(item.url, 0, 'robots');
    await turn();
    if (signal?.aborted) return;
    const fetched = await fetchPage(item.url, fetchFn, { timeoutMs: task.options.timeoutMs, maxBytes: task.options.maxBytes, inScope: (u) => scope.contains(u) && robots.isAllowed(u), signal });
    task.stats.fetched += 1;
    if (!fetched.ok) return skip(item.url, fetched.status, fetched.skipped);
    const read = readPage(fetched.html, fetched.url);
    if ('skipped' in read) return skip(item.url, fetched.status, read.skipped);
    if (!read.nofollow) for (const link of read.links) enqueue(link, item.depth + 1);
    if (read.noindex) return skip(item.url, fetched.status, 'noindex');
    const own = crawlKey(fetched.url) ?? item.url;
    const canonical = read.canonical && scope.contains(read.canonical) ? crawlKey(read.canonical) : null;
    if (canonical && canonical !== own) {
      // The page names another URL as the one to keep: that one is crawled (once) instead.
      enqueue(canonical, item.depth);
      return skip(item.url, fetched.status, 'duplicate-url');
    }
    const key = own;
    if (key !== item.url && hashes.has(`url:${key}`)) return skip(item.url, fetched.status, 'duplicate-url');
    const hash = createHash('sha256').update(read.text).digest('hex');
    if (hashes.has(hash)) return skip(item.url, fetched.status, 'duplicate-content');
    hashes.add(hash);
    hashes.add(`url:${key}`);
    const at = now();
    const page = Page.parse({
      url: key,
      site: siteOf(key),
      title: read.title.slice(0, 2048),
      text: read.text,
      excerpt: read.excerpt.slice(0, 2000),
      byline: read.byline.slice(0, 2048),
      siteName: read.siteName.slice(0, 2048),
      lang: read.lang.slice(0, 35),
      wordCount: countWords(read.text),
      truncated: read.truncated,
      capturedAt: at,
      updatedAt: at,
      signals: computeSignals({ text: read.text, title: read.title, declaredLang: read.lang, dom: read.dom }),
    });
    task.stats.kept += 1;
    if (!task.options.dryRun) task.pending.push(page);
    deps.onPage?.({ url: key, status: fetched.status, title: page.title, words: page.wordCount, lang: page.signals?.lang, spamScore: page.signals?.spamScore }, task);
  };

  const running = new Set<Promise<void>>();
  let outcome: CrawlOutcome = 'done';
  while (task.frontier.length || running.size) {
    if (signal?.aborted) {
      outcome = 'stopped';
      break;
    }
    // Another `crawl pause` wrote to the file: finish what runs, then stop.
    if (paused(state, task.id)) {
      outcome = 'paused';
      break;
    }
    if (task.stats.kept >= task.options.maxPages) break;
    while (task.frontier.length && running.size < task.options.concurrency && task.stats.kept + running.size < task.options.maxPages) {
      const item = task.frontier.shift()!;
      const job: Promise<void> = visit(item)
        .catch((error: unknown) => {
          // Stopped mid-page: the page goes back to the front of the frontier, to be fetched on resume.
          if (signal?.aborted) task.frontier.unshift(item);
          else skip(item.url, 0, 'error');
          if (!signal?.aborted) console.warn(`crawl: ${item.url}: ${String(error)}`);
        })
        .then(async () => {
          persist();
          if (deps.uploader) await deps.uploader.flush(task);
        })
        .finally(() => running.delete(job));
      running.add(job);
    }
    if (running.size) await Promise.race(running);
  }
  await Promise.allSettled(running);
  if (deps.uploader) await deps.uploader.flush(task, true);
  task.pid = null;
  task.status = outcome === 'done' ? 'done' : 'paused';
  persist();
  return outcome;
}

function paused(state: CrawlState, id: string): boolean {
  try {
    const before = state.task(id);
    state.reload();
    const after = state.task(id);
    // Our in-memory task is the truth for everything but the status another process set.
    if (before && after) state.put({ ...before, status: after.status === 'paused' ? 'paused' : before.status });
    return after?.status === 'paused';
  } catch {
    return false;
  }
}
