import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, 'anomalies.mjs');

describe('npm run anomalies', () => {
  it('prints one JSON line per incident, quoting ISO timestamps back', () => {
    const lines = ['timestamp,value'];
    for (let i = 0; i < 200; i++) {
      // A deterministic wobble (no randomness needed) and one spike at 02:30.
      const value = 100 + 4 * Math.sin(i * 1.7) + 3 * Math.cos(i * 0.9) + (i === 150 ? 80 : 0);
      lines.push(`${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()},${value.toFixed(3)}`);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'anomalies-')), 's.csv');
    writeFileSync(file, lines.join('\n'));
    const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const alerts = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(alerts).toEqual([expect.objectContaining({ t: '2026-01-01T02:30:00.000Z', kind: 'spike', value: expect.any(Number), expected: expect.any(Number), score: expect.any(Number) })]);
  });

  it('exits 2 with the line number on bad input', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'anomalies-')), 'bad.csv');
    writeFileSync(file, 't,v\n1,2\n2,x\n');
    const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('line 3');
  });
});
