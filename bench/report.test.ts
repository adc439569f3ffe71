import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptSections, runtimeOf, writeReport } from './report';

const node = 'node 20.20.2';
const chrome = 'HeadlessChrome/156.0.8078.114';
const lat = (ranker: string, chunks: number, p95: number, runtime: string, extra: Record<string, unknown> = {}) => ({ bench: 'latency', ranker, chunks, dims: 512, runtime, p50_ms: p95 / 2, p95_ms: p95, runs: 50, ...extra });

// The shapes the separate benches write (sync-throughput.ts, cold-start.ts, the embedding bench).
const LINES = [
  lat('keyword', 100_000, 10, node, { cpu_p95_ms: 8 }),
  lat('hybrid', 100_000, 20, node, { cpu_p95_ms: 14 }),
  lat('keyword', 100_000, 12, chrome),
  lat('hybrid', 100_000, 30, chrome),
  lat('hybrid', 1_000_000, 40, chrome),
  { bench: 'latency', ranker: 'embed-query', model: 'use-lite', runtime: node, p50_ms: 8, p95_ms: 17, runs: 200 },
  { bench: 'coldstart', open: 'first', run: 0, chunks: 100_000, pages: 10_000, input_ms: 900, first_results_ms: 45_000, first_ranking: 'keyword', hybrid_ms: null, task_ms: 40_000, seed_ms: 300_000 },
  { bench: 'coldstart', open: 'reopen', run: 1, chunks: 100_000, pages: 10_000, input_ms: 800, first_results_ms: 2_500, first_ranking: 'keyword', hybrid_ms: 4_000, task_ms: 2_000, seed_ms: 300_000 },
  { bench: 'sync', direction: 'push', records: 10_000, record_kind: 'highlight', json_bytes: 8_500_000, total_ms: 20_000, client_cpu_ms: 8_000, records_per_s: 500, syncs: 1 },
  { bench: 'sync', direction: 'pull', records: 10_000, record_kind: 'highlight', json_bytes: 8_500_000, total_ms: 25_000, client_cpu_ms: 9_000, records_per_s: 400, syncs: 1 },
  { bench: 'embed-throughput', runtime: `${node} (onnxruntime-node)`, dtype: 'fp32', batch: 1, threads: 'native default', chunks: 256, chunks_per_s: 100 },
  { bench: 'embed-throughput', runtime: `${chrome} (onnxruntime-web wasm simd)`, dtype: 'fp16', batch: 1, threads: 1, chunks: 256, chunks_per_s: 30 },
  { bench: 'embed-throughput', runtime: `${chrome} (onnxruntime-web wasm simd)`, dtype: 'fp32', batch: 1, threads: 4, chunks: 256, chunks_per_s: 60 },
  { bench: 'typed-query', ranker: 'typed query end to end', chunks: 100_000, runtime: chrome, p50_ms: 9, p95_ms: 18 },
];

const KEPT = '<!-- kept: grounding -->\n## Grounding\n\nWritten by hand.\n<!-- /kept -->';

describe('benchmark report', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the hand-written sections to carry over', () => {
    root = mkdtempSync(join(tmpdir(), 'report-'));
    expect(keptSections(`# B\n\n## Latency\n\nx\n\n${KEPT}\n\n## After\n`)).toEqual([KEPT]);
    expect(keptSections('# B\n\nnothing kept')).toEqual([]);
    expect(runtimeOf({ runtime: chrome })).toBe('chromium');
    expect(runtimeOf({ runtime: node })).toBe('node');
  });

  it('shows every separate run in the targets, tables and charts, and keeps the hand-written section', async () => {
    root = mkdtempSync(join(tmpdir(), 'report-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/benchmarks.md'), `# Benchmarks\n\nold text\n\n${KEPT}\n`);
    await writeReport(LINES, { root, started: '2026-12-04T00:00:00.000Z', finished: '2026-12-04T01:00:00.000Z' });
    const md = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
    const row = (target: string) => md.split('\n').find((l) => l.startsWith(`| ${target}`));

    expect(row('hybrid p95 ≤ 25 ms at 1,000,000 chunks in Chromium')).toContain('p95 40 ms');
    expect(row('hybrid p95 ≤ 25 ms at 1,000,000 chunks in Chromium')).toContain('1.6× the goal');
    expect(row('cold start: first results ≤ 1 s')).toMatch(/reopen: 2\.50 s; first open after writing the memory: 45 s \| no \| 2\.5× the goal/);
    expect(row('embedding throughput WASM vs native')).toContain('WASM 60 chunks/s (fp32, batch 1, threads 4); native 100 chunks/s');
    expect(row('embedding throughput WASM vs native')).toContain('WASM at 60% of native');
    expect(row('typed query end to end p95 ≤ 15 ms in Chromium')).toContain('p95 18 ms');
    expect(row('sync of 10,000 records')).toContain('push 500 records/s (20 s); pull 400 records/s (25 s)');
    expect(md).not.toContain('not measured by this run');

    // Chromium beside Node: the same line's p95 as a ratio.
    expect(md).toContain('### 100,000 chunks, Chromium (HeadlessChrome/156.0.8078.114)');
    expect(md).toMatch(/\| hybrid \| 15 \| 30 \| 2\.50× \| 1\.50× \|/);
    // The query embedding's line is in the embedding section, not a latency table without a size.
    expect(md).not.toContain('### – chunks');
    expect(md).toContain('### latency · embed-query');
    expect(md).toContain('### embed-throughput');
    for (const chart of ['latency-runtimes', 'coldstart', 'sync', 'embedding']) expect(existsSync(join(root, `docs/benchmarks/${chart}.svg`))).toBe(true);

    expect(md).not.toContain('old text');
    expect(md.trimEnd().endsWith(KEPT)).toBe(true);
    // Rewriting again keeps it once.
    await writeReport(LINES, { root, started: '2026-12-04T00:00:00.000Z', finished: '2026-12-04T01:00:00.000Z' });
    expect(keptSections(readFileSync(join(root, 'docs/benchmarks.md'), 'utf8'))).toEqual([KEPT]);
  }, 60_000);

  it('says what is open when a separate run is missing', async () => {
    root = mkdtempSync(join(tmpdir(), 'report-'));
    await writeReport(LINES.slice(0, 2), { root, started: 'a', finished: 'b' });
    const md = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
    expect(md).toContain('| cold start: first results ≤ 1 s on a 100k-chunk memory | not measured by this run | – | open (`npm run bench -- coldstart`) |');
    expect(md).toContain('- sync push/pull (`npm run bench -- sync`): open, no numbers here.');
  }, 60_000);
});
