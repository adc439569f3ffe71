import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Starts the worker the way a user runs it — `wrangler dev --local` on loopback, offline — with its
 * own throwaway state directory and the D1 migrations applied, and waits until it answers. For Node
 * tests that need a real local worker (the e2e suite's paired browsers, the smoke test beside this).
 */

const ROOT = resolve(import.meta.dirname, '../..');

export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};

export interface LocalWorker {
  url: string;
  port: number;
  /** State directory (D1 + Durable Objects); removed by stop() unless it was passed in. */
  persistDir: string;
  stop(): Promise<void>;
  /** What wrangler printed so far (for failure messages). */
  output(): string;
}

export interface LocalWorkerOptions {
  port?: number;
  persistDir?: string;
  /** Extra `--var NAME:VALUE` settings, e.g. { OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1' }. */
  vars?: Record<string, string>;
  startTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

export async function startLocalWorker(options: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const port = options.port ?? (await freePort());
  // Each worker gets its own inspector port too: wrangler's default (9229) would collide between two
  // workers started side by side (two test suites, or a test beside `npm start`).
  const inspectorPort = await freePort();
  const ownDir = !options.persistDir;
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), 'calicolobster-worker-'));
  const env = { ...process.env, ...OFFLINE_ENV, CI: 'true' };
  const config = join(ROOT, 'wrangler.toml');
  const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--config', config, '--persist-to', persistDir], { cwd: ROOT, env, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  let log = '';
  const child: ChildProcess = spawn(
    'npx',
    ['wrangler', 'dev', '--local', '--config', config, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', persistDir, '--show-interactive-dev-session=false', ...vars],
    { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM'); // its process group: npx, wrangler and workerd
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    clearTimeout(timer);
    if (ownDir) rmSync(persistDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) return { url, port, persistDir, stop, output: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url}${dead ? ' (it exited)' : ''}:\n${log.slice(-4000)}`);
}
