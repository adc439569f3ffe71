/**
 * Writes the benchmark page from one run's JSON lines: docs/benchmarks.md, its charts as SVG files in
 * docs/benchmarks/ (Vega-Lite specs rendered by Vega in Node, no browser), and the lines themselves as
 * bench/results/<time>.json and bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

type Line = Record<string, unknown>;

async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

const fmt = (x: unknown, digits = 2) => (typeof x === 'number' ? (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(digits)) : x === undefined ? '–' : String(x));
const table = (head: string[], rows: unknown[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => fmt(c)).join(' | ')} |`)].join('\n');

interface Target {
  target: string;
  measured: string;
  met: boolean | null;
  distance: string;
}

export async function writeReport(lines: Line[], run: { root: string; started: string; finished: string; merged?: string[] }): Promise<string[]> {
  const docs = resolve(run.root, 'docs');
  const chartsDir = resolve(docs, 'benchmarks');
  const resultsDir = resolve(run.root, 'bench/results');
  mkdirSync(chartsDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const written: string[] = [];
  const json = JSON.stringify({ ...run, root: undefined, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30) }, lines }, null, 1);
  for (const name of [`${run.started.replace(/[:.]/g, '-')}.json`, 'latest.json']) {
    writeFileSync(resolve(resultsDir, name), json);
    written.push(`bench/results/${name}`);
  }

  const latency = lines.filter((l) => l.bench === 'latency');
  const index = lines.filter((l) => l.bench === 'index');
  const bandwidth = lines.filter((l) => l.bench === 'bandwidth');
  const quality = lines.filter((l) => l.bench === 'quality' && !l.split);
  const sizes = [...new Set(latency.map((l) => l.chunks as number))].sort((a, b) => a - b);
  const label = (l: Line) => `${l.ranker}${l.kernel && l.ranker === 'vector' ? ` (${l.kernel})` : ''}${l.queries === 'long' ? ' — long queries' : l.queries === 'typed' ? ' — keystrokes' : ''}`;

  // Targets (issue 15), each met or its distance.
  const targets: Target[] = [];
  const collections = [...new Set(quality.map((l) => l.collection as string))];
  for (const c of collections) {
    const of = (r: string) => quality.find((l) => l.collection === c && l.ranker === r && !l.peer);
    const h = of('hybrid');
    if (!h) continue;
    for (const metric of ['ndcg@10', 'recall@100']) {
      const best = Math.max(...['keyword', 'vector', 'rrf'].map((r) => (of(r)?.[metric] as number) ?? 0));
      const margin = (h[metric] as number) - best;
      targets.push({ target: `${c}: hybrid ${metric} ≥ keyword, vector and plain RRF`, measured: `${fmt(h[metric], 3)} vs best ${fmt(best, 3)}`, met: margin >= 0, distance: margin >= 0 ? `+${margin.toFixed(3)}` : margin.toFixed(3) });
    }
  }
  const at = (chunks: number, pred: (l: Line) => boolean) => latency.find((l) => l.chunks === chunks && pred(l));
  const big = sizes.includes(100_000) ? 100_000 : sizes[sizes.length - 1];
  if (big !== undefined) {
    // Judged on this thread's CPU time where there is one: on a shared box wall time is mostly waiting.
    const p95 = (l?: Line) => (l ? { wall: l.p95_ms as number, cpu: l.cpu_p95_ms as number | undefined } : undefined);
    const add = (name: string, m: { wall: number; cpu?: number } | undefined, goal: number) => {
      const value = m ? (m.cpu ?? m.wall) : undefined;
      targets.push({ target: name, measured: m === undefined ? 'not measured' : `CPU p95 ${fmt(m.cpu)} ms (wall p95 ${fmt(m.wall)} ms)`, met: value === undefined ? null : value <= goal, distance: value === undefined ? '–' : value <= goal ? 'met' : `${(value / goal).toFixed(1)}× the goal (CPU)` });
    };
    add(`typeahead p95 ≤ 5 ms a keystroke at ${fmt(big)} chunks (Node; the side panel's instant list, Bm25Index.typeahead)`, p95(at(big, (l) => l.ranker === 'typeahead' && l.queries === 'typed')), 5);
    add(`hybrid p95 ≤ 10 ms at ${fmt(big)} chunks, short queries (Node)`, p95(at(big, (l) => l.ranker === 'hybrid' && l.queries !== 'long')), 10);
    add(`hybrid p95 ≤ 10 ms at ${fmt(big)} chunks, long (15–20 word) queries (Node)`, p95(at(big, (l) => l.ranker === 'hybrid' && l.queries === 'long')), 10);
  }
  const million = sizes.find((n) => n >= 1_000_000);
  if (million !== undefined) {
    const h = at(million, (l) => l.ranker === 'hybrid' && l.queries !== 'long');
    const value = h ? ((h.cpu_p95_ms as number | undefined) ?? (h.p95_ms as number)) : undefined;
    targets.push({ target: `hybrid p95 ≤ 25 ms at ${fmt(million)} chunks (Node, CPU)`, measured: h ? `CPU p95 ${fmt(h.cpu_p95_ms)} ms (wall p95 ${fmt(h.p95_ms)} ms)` : 'not measured', met: value === undefined ? null : value <= 25, distance: value === undefined ? '–' : value <= 25 ? 'met' : `${(value / 25).toFixed(1)}× the goal` });
    const state = index.filter((l) => l.chunks === million && typeof l.mib === 'number' && /^(ranking|vector)/.test(String(l.index))).reduce((a, l) => a + (l.mib as number), 0);
    targets.push({ target: `search state ≤ 300 MiB at ${fmt(million)} chunks (ranking index + int8 vectors, Node heap)`, measured: state ? `${fmt(state)} MiB` : 'not measured', met: state ? state <= 300 : null, distance: state ? (state <= 300 ? 'met' : `${(state / 300).toFixed(1)}× the goal`) : '–' });
  } else targets.push({ target: 'hybrid p95 ≤ 25 ms and state ≤ 300 MiB at 1M chunks', measured: 'not in this run (opt-in: `npm run bench -- latency --chunks 1000000`)', met: null, distance: 'open (see below)' });
  const captureRatio = lines.find((l) => l.bench === 'capture' && l.ratio_p50 !== undefined);
  if (captureRatio)
    targets.push({ target: 'capture overhead: page load with / without the extension (Chromium, reference pages)', measured: `p50 ${fmt(captureRatio.ratio_p50)}×, p95 ${fmt(captureRatio.ratio_p95)}×`, met: null, distance: 'shown (no goal set)' });
  for (const t of ['the same at 1M chunks in Chromium', 'cold start: first results ≤ 1 s on a 100k-chunk memory', 'embedding throughput WASM vs native in Chromium', 'typed query end to end p95 ≤ 15 ms in Chromium'])
    targets.push({ target: t, measured: 'not measured by this run', met: null, distance: 'open (see below)' });

  // Charts.
  const latencyRows = latency.map((l) => ({ engine: label(l), chunks: fmt(l.chunks), p95: l.p95_ms as number }));
  const charts: Record<string, TopLevelSpec> = {
    latency: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Query latency p95 (ms, log scale), Node',
      data: { values: latencyRows },
      mark: 'bar',
      encoding: { y: { field: 'engine', type: 'nominal', sort: '-x', title: null }, x: { field: 'p95', type: 'quantitative', scale: { type: 'log' }, title: 'p95 ms' }, color: { field: 'chunks', type: 'nominal' }, yOffset: { field: 'chunks' } },
      width: 480,
    },
    memory: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Index memory (MiB), Node heap + external growth',
      data: { values: index.filter((l) => typeof l.mib === 'number').map((l) => ({ index: l.index, chunks: fmt(l.chunks), mib: l.mib })) },
      mark: 'bar',
      encoding: { y: { field: 'index', type: 'nominal', sort: '-x', title: null }, x: { field: 'mib', type: 'quantitative', title: 'MiB' }, color: { field: 'chunks', type: 'nominal' }, yOffset: { field: 'chunks' } },
      width: 480,
    },
    quality: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'nDCG@10 per collection',
      data: { values: quality.map((l) => ({ collection: l.collection, ranker: l.ranker, ndcg: l['ndcg@10'] })) },
      mark: 'bar',
      encoding: { x: { field: 'collection', type: 'nominal', title: null }, xOffset: { field: 'ranker' }, y: { field: 'ndcg', type: 'quantitative', title: 'nDCG@10' }, color: { field: 'ranker', type: 'nominal' } },
      width: 640,
    },
    bandwidth: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Vector kernel read rate vs memory copy (GB/s)',
      data: { values: bandwidth.map((l) => ({ what: `${l.what}${l.chunks ? ` @ ${fmt(l.chunks)}` : ''}`, gbs: l.gb_per_s })) },
      mark: 'bar',
      encoding: { y: { field: 'what', type: 'nominal', title: null }, x: { field: 'gbs', type: 'quantitative', title: 'GB/s' } },
      width: 480,
    },
  };
  for (const [name, spec] of Object.entries(charts)) {
    writeFileSync(resolve(chartsDir, `${name}.svg`), await svg(spec));
    written.push(`docs/benchmarks/${name}.svg`);
  }

  const md: string[] = [];
  md.push('# Benchmarks', '');
  md.push(`Written by \`npm run bench\` (scripts/bench.mjs → bench/report.ts) from one run, ${run.started} – ${run.finished}, on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${latency[0]?.runtime ?? ''}. The machine is shared: wall times carry other people's load (the \`cpu_p95_ms\` column is this thread's CPU time). Raw lines: \`bench/results/latest.json\`.${run.merged?.length ? ` Merged in from separate runs (\`npm run bench -- report --with F\`): ${run.merged.map((f) => `\`${f}\``).join(', ')}.` : ''}`, '');
  md.push('## Targets (issue 15)', '');
  md.push(table(['target', 'measured', 'met', 'distance'], targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'no', t.distance])), '');
  md.push('## Quality', '', '![nDCG@10 per collection](benchmarks/quality.svg)', '');
  md.push('nDCG@10 and recall@100, binary relevance, over judged queries. `keyword` is plain stemmed BM25F (the ranking index), `keyword+feedback` the same with pseudo-relevance feedback, `vector` the bundled encoder over chunks (best chunk per document), `rrf` a plain reciprocal rank fusion (k = 60) of `keyword` and `vector`, `hybrid` the product\'s ranking (extension/search/hybrid.ts). Peers (`minisearch`, `flexsearch`, `orama`) are their libraries\' own keyword rankers over the same documents and queries.', '');
  for (const c of collections) {
    md.push(`### ${c}`, '');
    md.push(table(['ranker', 'nDCG@10', 'recall@100', 'queries'], quality.filter((l) => l.collection === c).map((l) => [l.ranker, l['ndcg@10'], l['recall@100'], l.queries])), '');
    const held = lines.filter((l) => l.bench === 'quality' && l.collection === c && l.split === 'test');
    if (held.length) md.push(`Odd query positions only (held out of \`npm run bench -- tune\`):`, '', table(['ranker', 'nDCG@10', 'recall@100', 'queries'], held.map((l) => [l.ranker, l['ndcg@10'], l['recall@100'], l.queries])), '');
  }
  md.push('## Latency', '', '![latency](benchmarks/latency.svg)', '');
  md.push('Synthetic seeded corpus (bench/latency.ts): ~64-word chunks over a Zipf vocabulary, 10 chunks per source, 512-d random unit vectors; short queries are 2–6 words, long ones 15–20. The same chunks and queries go to every engine. `keyword` is our ranking index with pseudo-relevance feedback (its query walk pruned by MaxScore bounds), `typeahead` the side panel\'s instant list served by the same index (last word by prefix or typo on the term dictionary; `keystrokes` = queries cut inside their last word), `hybrid` keyword + vector scan + fusion (the query embedding is not included). Ratio = the engine\'s p95 over our `keyword` p95 at the same size.', '');
  for (const n of sizes) {
    const ours = at(n, (l) => l.ranker === 'keyword' && l.queries !== 'long')?.p95_ms as number | undefined;
    md.push(`### ${fmt(n)} chunks`, '');
    md.push(table(['engine', 'p50 ms', 'p95 ms', 'CPU p95 ms', 'p95 / ours (keyword)'], latency.filter((l) => l.chunks === n).map((l) => [label(l), l.p50_ms, l.p95_ms, l.cpu_p95_ms, ours ? `${((l.p95_ms as number) / ours).toFixed(2)}×` : '–'])), '');
  }
  md.push('## Memory and build time', '', '![memory](benchmarks/memory.svg)', '');
  md.push(table(['index', 'chunks', 'MiB', 'bytes/chunk', 'build ms'], index.map((l) => [l.index, l.chunks, l.mib, l.bytes_per_chunk, l.build_ms])), '');
  md.push('## Vector kernel vs memory bandwidth', '', '![bandwidth](benchmarks/bandwidth.svg)', '');
  md.push('The kernel\'s rate is int8 bytes scanned per second at the scan\'s p50; the reference is a 128 MiB `TypedArray.set` copy (bytes read + written per second), measured in the same process.', '');
  md.push(table(['what', 'chunks', 'GB/s'], bandwidth.map((l) => [l.what, l.chunks, l.gb_per_s])), '');
  const capture = lines.filter((l) => l.bench === 'capture');
  if (capture.length) {
    md.push('## Capture overhead (Chromium)', '');
    md.push('`npm run bench -- capture` (bench/capture-overhead.ts): every reference page in `../shared/reference/web-pages`, served locally, loaded in headless Chromium with the built extension and in one without, interleaved page by page; page load = the navigation\'s `loadEventEnd`.', '');
    md.push(table(['what', 'pages', 'loads', 'p50 ms', 'p95 ms', 'ratio p50', 'ratio p95'], capture.map((l) => [l.what, l.pages, l.loads, l.p50_ms, l.p95_ms, l.ratio_p50, l.ratio_p95])), '');
  }
  const merchant = lines.filter((l) => l.bench === 'merchant' && l.split);
  if (merchant.length) {
    md.push('## Merchant chat: search by meaning (hand-off cut-off)', '');
    md.push('`npm run bench -- merchant` (bench/merchant-search.ts): stores made from the reference product pages (one per site with ≥ 2 products) and the reference Shopify JSON; "do you have …" questions written from each page\'s title, asked of their own store and of every other store, plus made-up questions. Cut-offs fitted on the fit stores; the trigram test double\'s rows use the cut-offs fitted on USE-lite.', '');
    md.push(table(['model', 'cut-off', 'value', 'split', 'stores', 'own found in top 4', 'other stores answered', 'nonsense answered'], merchant.map((l) => [l.model, l.cutoff, l.margin ?? l.threshold, l.split, l.stores, l.inStoreFoundTop4, l.otherStoreAnswered, l.nonsenseAnswered])), '');
  }
  md.push('## Not measured by this run', '');
  md.push(`- ${million === undefined ? '1M chunks: opt-in (`npm run bench -- latency --chunks 1000000`, or `--sizes 10000,100000,1000000` for the whole run); on this 2-core shared box building the 100k indexes already takes minutes, so the default run stops at 100k. ' : ''}Chromium latency (\`npm run bench -- latency --chromium\` runs it separately), cold start of the side panel, embedding throughput WASM vs native, ${capture.length ? '' : 'capture overhead (`npm run bench -- capture`) '}and sync push/pull: open, no numbers here.`, '');
  writeFileSync(resolve(docs, 'benchmarks.md'), md.join('\n'));
  written.push('docs/benchmarks.md');
  return written;
}
