#!/usr/bin/env node
// Runs every test suite (unit, worker, e2e), each through its own runner with a JSON report, and ends
// with one line CI can read: "N passed, N failed", summed from those reports. A suite whose runner
// dies without writing a report counts as one failure, so a crash can never look like a pass.
//
//   npm test                 all suites
//   npm test -- unit e2e     only the named suites
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = resolve(root, 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const suites = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'worker', config: 'worker/vitest.config.ts' },
  { name: 'e2e', config: 'e2e/vitest.config.ts', before: [['npx', ['wxt', 'build']]] },
];
const wanted = process.argv.slice(2);
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  // The e2e suite tests what its `before` step just built, wherever WXT_OUT_DIR put it.
  EXT_DIR: process.env.EXT_DIR ?? `${process.env.WXT_OUT_DIR ?? '.output'}/chrome-mv3`,
};

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
  if (wanted.length && !wanted.includes(suite.name)) continue;
  if (!existsSync(resolve(root, suite.config))) continue;
  console.log(`\n=== ${suite.name} ===`);
  let ok = true;
  for (const [cmd, args] of suite.before ?? []) {
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) ok = false;
  }
  const report = resolve(reports, `${suite.name}.json`);
  if (ok) {
    spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
  }
  if (!existsSync(report)) {
    console.log(`${suite.name}: no report was written; counting the suite as one failure`);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  // A file that fails to import has no tests in it, so count failed suites whose tests we never saw.
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
