import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { missingDependencies } from './check-dependencies.mjs';

// Issue 9, item 12: `npm start` in a checkout without node_modules says to run npm install first,
// instead of an npx error.
const checkout = mkdtempSync(join(tmpdir(), 'calico-fresh-checkout-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

describe('npm start before npm install', () => {
  it('says "run npm install first" and exits non-zero, starting nothing', () => {
    mkdirSync(join(checkout, 'scripts'));
    for (const file of ['start.mjs', 'check-dependencies.mjs']) copyFileSync(resolve(import.meta.dirname, file), join(checkout, 'scripts', file));
    const run = spawnSync(process.execPath, [join(checkout, 'scripts', 'start.mjs')], { cwd: checkout, encoding: 'utf8', timeout: 20_000, env: { ...process.env, DISPLAY: '' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run npm install first');
    expect(run.stdout + run.stderr).not.toMatch(/npx|building the extension/);
  });

  it('finds this checkout’s tools installed', () => {
    expect(missingDependencies(resolve(import.meta.dirname, '..'))).toEqual([]);
    expect(missingDependencies(checkout)).toEqual(['wxt', 'wrangler']);
  });
});
