#!/usr/bin/env node
// `npm start`: runs the product on this machine.
//   1. builds the extension (.output/chrome-mv3, or $WXT_OUT_DIR/chrome-mv3);
//   2. starts the Cloudflare worker locally (D1 migrations, then wrangler dev --local on
//      http://127.0.0.1:8787) with wrangler's telemetry and Cloudflare look-ups turned off;
//   3. opens Chromium ($CHROME_PATH or /usr/bin/chromium) with the extension loaded in a fresh profile.
// Without a display it prints where the built extension is, for chrome://extensions → Load unpacked,
// and keeps the worker running. Ctrl-C stops everything and removes the throwaway profile.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireDependencies } from './check-dependencies.mjs';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, process.env.WXT_OUT_DIR ?? '.output');
const extensionDir = join(outDir, 'chrome-mv3');
const workerPort = Number(process.env.WORKER_PORT ?? 8787);
const offlineEnv = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};

/** Every child started, kept after it exits: its process group may still hold helpers. */
const groups = [];
let profileDir;
let stopping = false;

function log(message) {
  console.log(`[start] ${message}`);
}

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of groups) {
    // Each child leads its own process group, so wrangler's workerd and Chromium's helpers go too.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  // Give the processes a moment to let go of the profile before it is removed.
  setTimeout(() => {
    if (profileDir) rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    process.exit(code);
  }, 800);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function run(name, command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true, ...options });
  groups.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code})`);
    options.onExit?.(code);
  });
  return child;
}

// --- 0. the tools ------------------------------------------------------------------------------------
requireDependencies(root);

// --- 1. the extension ------------------------------------------------------------------------------
log('building the extension…');
const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit', env: process.env });
if (build.status !== 0 || !existsSync(join(extensionDir, 'manifest.json'))) {
  console.error('[start] the extension did not build; see the errors above.');
  process.exit(1);
}
log(`extension built: ${extensionDir}`);

// --- 2. the worker ---------------------------------------------------------------------------------
// wrangler's config sits at the repository root (it names worker/src/index.ts as `main`).
const workerConfig = ['wrangler.toml', 'wrangler.jsonc', 'wrangler.json']
  .flatMap((name) => [join(root, name), join(root, 'worker', name)])
  .find((path) => existsSync(path));
let worker;
if (workerConfig) {
  const env = { ...process.env, ...offlineEnv, CI: 'true' };
  // D1's tables come from migrations; applying them again is a no-op.
  if (/d1_databases/.test(readFileSync(workerConfig, 'utf8'))) {
    log('applying the D1 migrations locally…');
    const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--config', workerConfig], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    if (migrate.status !== 0) log('the D1 migrations failed; starting the worker anyway (see above).');
  }
  log(`starting the worker on http://127.0.0.1:${workerPort} (wrangler dev --local)…`);
  worker = run(
    'worker',
    'npx',
    ['wrangler', 'dev', '--local', '--config', workerConfig, '--ip', '127.0.0.1', '--port', String(workerPort), '--show-interactive-dev-session=false'],
    { env },
  );
} else {
  log('no wrangler config yet: running the extension on its own (everything local works without it).');
}

// --- 3. the browser --------------------------------------------------------------------------------
const chromium = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!hasDisplay || !existsSync(chromium)) {
  const why = !hasDisplay ? 'There is no display here ($DISPLAY and $WAYLAND_DISPLAY are unset)' : `No Chromium at ${chromium} (set CHROME_PATH)`;
  console.log(`
${why}, so no browser was opened.
To use CalicoLobster, load the built extension by hand in Chrome or Chromium:
  1. open chrome://extensions and switch on "Developer mode";
  2. click "Load unpacked" and choose:
       ${extensionDir}
${worker ? `The worker keeps running at http://127.0.0.1:${workerPort} — press Ctrl-C to stop it.` : ''}`);
  if (!worker) process.exit(0);
} else {
  profileDir = mkdtempSync(join(tmpdir(), 'calicolobster-profile-'));
  const args = [
    `--user-data-dir=${profileDir}`,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-first-run',
    '--no-default-browser-check',
  ];
  // Chromium refuses to run as root without it (containers, CI machines).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  log(`opening Chromium with the extension (profile ${profileDir}); Ctrl-C stops everything.`);
  run('chromium', chromium, [...args, 'about:blank'], {
    onExit: (code) => {
      // Closing the browser ends the session (the worker is only there for it).
      if (!stopping) stopAll(code ?? 0);
    },
  });
}
