import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { CloudClient } from '../shared/sync/api-client';
import { runCrawl, type PageReport } from './crawl';
import { CrawlState, DEFAULT_STATE_FILE, newTask, type CrawlOptions, type Task } from './state';
import { Uploader } from './uploader';

/**
 * `calicolobster crawl …` — the command line of the crawler. Output: one JSON line per page with
 * --dry-run (stdout), a progress bar on a terminal otherwise (stderr), and a summary at the end.
 */
const HELP = `calicolobster crawl <url> [options]     crawl one site into your memory
calicolobster crawl --from FILE [options] one task per URL in FILE (one per line), run in turn
calicolobster crawl list                  tasks and their state
calicolobster crawl pause|resume|rm ID    pause a running task, resume a paused one, remove one
calicolobster crawl login --worker URL --code CODE [--name NAME]
                                          join your account with a pairing code (Options → Sync → Show a code)

options: --max-pages N (500)  --depth N (5)  --include GLOB  --exclude GLOB  (repeatable, on the URL path)
         --concurrency N (2)  --delay SECONDS (0.5; robots.txt Crawl-delay wins when larger)
         --timeout SECONDS (20)  --dry-run (upload nothing; print one JSON line per page)
         --state FILE (${DEFAULT_STATE_FILE}, or CALICO_CRAWL_STATE)`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'max-pages': { type: 'string' },
      depth: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      delay: { type: 'string' },
      timeout: { type: 'string' },
      'dry-run': { type: 'boolean' },
      from: { type: 'string' },
      state: { type: 'string' },
      worker: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const args = positionals[0] === 'crawl' ? positionals.slice(1) : positionals;
  if (values.help || (!args.length && !values.from)) {
    io.out(HELP);
    return values.help ? 0 : 2;
  }
  const state = new CrawlState(values.state ?? process.env.CALICO_CRAWL_STATE ?? DEFAULT_STATE_FILE);
  const [command, id] = args;

  if (command === 'list') {
    const tasks = state.tasks();
    if (!tasks.length) io.out('no crawl tasks');
    for (const t of tasks) io.out(`${t.id}  ${t.status.padEnd(7)}  ${t.stats.kept} kept / ${t.stats.fetched} fetched / ${t.stats.uploaded} uploaded  ${t.startUrl}`);
    return 0;
  }
  if (command === 'rm' || command === 'pause') {
    const task = id ? state.task(id) : undefined;
    if (!task) return fail(io, `no task ${id ?? ''}: see \`crawl list\``);
    if (command === 'rm') state.remove(task.id);
    else state.put({ ...task, status: task.status === 'running' || task.status === 'queued' ? 'paused' : task.status });
    state.save();
    io.out(command === 'rm' ? `removed ${task.id}` : `paused ${task.id}`);
    return 0;
  }
  if (command === 'login') {
    if (!values.worker || !values.code) return fail(io, 'login needs --worker URL and --code CODE');
    const client = new CloudClient({ baseUrl: values.worker, fetch: io.fetch });
    const creds = await client.join(values.code.trim().toUpperCase(), values.name ?? 'Crawler');
    state.account = { workerUrl: values.worker, userId: creds.userId, deviceId: creds.deviceId, token: creds.token, hlc: null };
    state.save();
    io.out(`joined account ${creds.userId} as a device; pages you crawl upload there`);
    return 0;
  }

  const options = optionsOf(values);
  if (options === null) return fail(io, 'bad option value: see --help');
  let tasks: Task[];
  if (command === 'resume') {
    const task = id ? state.task(id) : undefined;
    if (!task) return fail(io, `no task ${id ?? ''}: see \`crawl list\``);
    if (task.status === 'done') return fail(io, `${task.id} is done`);
    tasks = [{ ...task, status: task.frontier.length || task.pending.length || task.inflight ? 'paused' : 'queued' }];
  } else {
    const urls = values.from ? readFileSync(values.from, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [command!];
    for (const url of urls) if (!/^https?:\/\//.test(url)) return fail(io, `not an http(s) URL: ${url}`);
    tasks = urls.map((url) => newTask(url, options));
    for (const t of tasks) state.put(t);
    state.save();
  }
  const dryRun = tasks[0]!.options.dryRun;
  if (!dryRun && !state.account) return fail(io, 'not signed in: run `crawl login --worker URL --code CODE` first (or use --dry-run)');
  const uploader = dryRun ? null : new Uploader(state, state.account!, io.fetch);

  let code = 0;
  for (const task of tasks) {
    const bar = io.isTTY && !dryRun ? new cliProgress.SingleBar({ format: '{bar} {value}/{total} pages kept | {fetched} fetched | {url}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
    bar?.start(task.options.maxPages, task.stats.kept, { fetched: task.stats.fetched, url: task.startUrl });
    const onPage = (report: PageReport, t: Task) => {
      if (dryRun) io.out(JSON.stringify({ url: report.url, status: report.status, title: report.title ?? null, words: report.words ?? 0, ...(report.lang ? { lang: report.lang, spamScore: report.spamScore } : {}), ...(report.skipped ? { skipped: report.skipped } : {}) }));
      bar?.update(t.stats.kept, { fetched: t.stats.fetched, url: report.url.slice(0, 60) });
    };
    try {
      const outcome = await runCrawl(state.task(task.id) === task ? task : (state.put(task), task), { state, fetch: io.fetch, uploader, onPage, signal: io.signal });
      bar?.stop();
      const skipped = Object.entries(task.stats.skipped).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
      io.err(`${task.id}: ${outcome}${task.error ? ` (${task.error})` : ''} — ${task.stats.kept} pages kept, ${task.stats.uploaded} uploaded, ${task.stats.fetched} fetched; skipped: ${skipped}`);
      if (outcome === 'stopped' && task.status === 'failed') code = 1;
      if (outcome !== 'done' && task.status !== 'failed') io.err(`resume with: calicolobster crawl resume ${task.id}`);
    } catch (error) {
      bar?.stop();
      io.err(`${task.id}: stopped: ${(error as Error).message}; resume with: calicolobster crawl resume ${task.id}`);
      return 1;
    }
  }
  return code;
}

function optionsOf(values: Record<string, unknown>): Partial<CrawlOptions> | null {
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  const o: Partial<CrawlOptions> = {
    maxPages: num(values['max-pages']),
    depth: num(values.depth),
    concurrency: num(values.concurrency),
    delay: num(values.delay),
    timeoutMs: values.timeout === undefined ? undefined : Number(values.timeout) * 1000,
    include: (values.include as string[] | undefined) ?? [],
    exclude: (values.exclude as string[] | undefined) ?? [],
    dryRun: Boolean(values['dry-run']),
  };
  for (const v of Object.values(o)) if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<CrawlOptions>;
}

function fail(io: CliIo, message: string): number {
  io.err(`calicolobster: ${message}`);
  return 2;
}
