import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { waitFor } from './wait';

/**
 * The project's Hono worker run locally by wrangler (`wrangler dev --local`) for end-to-end tests:
 * its own free port, inspector port and `--persist-to` directory (so it shares no state with another
 * run), the offline environment of ../shared/PLATFORM.md, D1 migrations applied first. Stopped with
 * its whole process group (npx → wrangler → workerd).
 */

export interface LocalWorker {
  url: string;
  /** What wrangler printed (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  // No interactive confirmation for `d1 migrations apply`.
  CI: 'true',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const wrangler = join(repoRoot, 'node_modules', '.bin', 'wrangler');
const config = join(repoRoot, 'wrangler.toml');

export async function startLocalWorker({ startTimeout = 90_000 } = {}): Promise<LocalWorker> {
  const persist = mkdtempSync(join(tmpdir(), 'calico-e2e-worker-'));
  const env = { ...process.env, ...OFFLINE_ENV };
  const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist, '--config', config], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply failed: ${migrate.stderr || migrate.stdout}`);

  const [port, inspector] = [await freePort(), await freePort()];
  let output = '';
  const child: ChildProcess = spawn(
    wrangler,
    ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', persist, '--config', config],
    { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(persist, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`wrangler exited with ${child.exitCode}`);
        const response = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(5_000) });
        return response.ok;
      },
      Boolean,
      { timeout: startTimeout, interval: 500, message: `the local worker at ${url} to answer /v1/health` },
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output.slice(-4000)}`);
  }
  return { url, log: () => output, stop };
}
