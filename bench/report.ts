/**
 * Writes the benchmark page from the JSON lines of one or more runs: docs/benchmarks.md, its charts as
 * SVG files in docs/benchmarks/ (Vega-Lite specs rendered by Vega in Node, no browser), and the lines
 * themselves as bench/results/<time>.json (a full run only) and bench/results/latest.json.
 *
 * Lines of separate runs are merged by `mergeRuns`: a later line of the same measurement replaces an
 * earlier one (newest wins), and every line keeps the file it came from (`from`), which the page shows.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { DEFAULT_CANDIDATES, HOLD_INT8_UP_TO, SOURCE_CANDIDATES } from '../extension/search/vector-index';

type Line = Record<string, unknown>;

/** The weights the extension ships (BUNDLED_MODEL.dtype in extension/ai/embedder.ts; a test keeps the two
 * equal): the typed-query target is judged on them, not on whichever variant a bench also tried. */
export const SHIPPED_DTYPE = 'fp16';
/** The code the vector index ships (extension/search/binary-codes.ts): the recall target's coding. */
export const SHIPPED_CODING = 'rotated sign';

async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

const fmt = (x: unknown, digits = 2) => (typeof x === 'number' ? (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(digits)) : x === undefined || x === null ? '–' : String(x));
const table = (head: string[], rows: unknown[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => fmt(c)).join(' | ')} |`)].join('\n');
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Node or Chromium, from a line's `runtime` (latency.ts writes `node 20.x` or `HeadlessChrome/NNN`). */
export const runtimeOf = (l: Line): 'node' | 'chromium' => (/chrom/i.test(String(l.runtime ?? '')) ? 'chromium' : 'node');

/** Sections of the page written by hand (between `<!-- kept: NAME -->` and `<!-- /kept -->`): a rewrite
 * of the page carries them over unchanged, so a full run doesn't lose what was measured and written
 * separately (e.g. the grounding section). */
export function keptSections(markdown: string): string[] {
  return [...markdown.matchAll(/<!-- kept: [^>]*-->[\s\S]*?<!-- \/kept -->/g)].map((m) => m[0]);
}

// ---------------------------------------------------------------------------------------------------
// Merging runs.

/** Numeric fields that name what was measured (a size, a depth, a batch) rather than a result. */
const NUMERIC_IDENTITY = new Set(['chunks', 'candidates', 'batch', 'threads', 'run', 'records', 'depth', 'dims', 'days', 'beside', 'texts']);
/** String fields that are results or descriptions, not names of what was measured: a vector line's
 * `path` describes what its size and `candidates` already name (latency.ts added it mid-session). */
const STRING_RESULTS = new Set(['first_ranking', 'from', 'path']);

/**
 * What a line measures, without its results: every string and boolean field (bench, ranker, index,
 * kernel, scan, queries, collection, dtype, cache …) and the numeric fields that name a size or
 * setting. The runtime counts without its version (a newer Chromium build still replaces an older
 * line). Vector and hybrid lines written before the binary codes existed carry no `scan`: they scanned
 * int8, so they count as `scan: int8` and are never confused with the code scan that replaced them.
 */
export function measurementKey(l: Line): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l).sort(([a], [b]) => a.localeCompare(b))) {
    if (STRING_RESULTS.has(k) || v === null || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && NUMERIC_IDENTITY.has(k))) out[k] = k === 'runtime' ? String(v).replace(/[\d.]+/g, '#') : v;
  }
  if (isScanLine(l) && out.scan === undefined) out.scan = 'int8';
  return JSON.stringify(out);
}

const isScanLine = (l: Line) => l.bench === 'latency' && (l.ranker === 'vector' || l.ranker === 'hybrid') && l.dtype === undefined;

export interface RunSource {
  /** Where the lines came from, as the page names it (a path under bench/results, or `run <time>`). */
  file: string;
  lines: Line[];
}

/** Parses a JSONL file's text (lines that are not JSON objects, e.g. npm's banner, are skipped). */
export function parseJsonl(text: string): Line[] {
  return text.split('\n').map((t) => t.trim()).filter((t) => t.startsWith('{')).map((t) => JSON.parse(t) as Line);
}

/**
 * Merges runs given oldest first: a line replaces every earlier line of the same measurement
 * (`measurementKey`), inside one file too (a file holding two runs keeps the second). Each line gets
 * `from` (its file) unless it already has one (lines read back from latest.json). The memory copy
 * reference of the latency bench carries no size: it gets `beside`, the size of the kernel line before
 * it in the same file, so each kernel rate stays next to the reference measured in the same run.
 * Returns the lines that stand, in the order they were read, and the ones they replaced.
 */
export function mergeRuns(sources: RunSource[]): { lines: Line[]; superseded: Line[] } {
  const standing = new Map<string, { line: Line; at: number }>();
  const superseded: Line[] = [];
  let at = 0;
  for (const source of sources) {
    let lastSize: unknown;
    for (const raw of source.lines) {
      const line: Line = { ...raw, from: raw.from ?? source.file };
      if (line.bench === 'bandwidth') {
        if (line.chunks !== undefined) lastSize = line.chunks;
        else if (line.beside === undefined && lastSize !== undefined) line.beside = lastSize;
      }
      const key = measurementKey(line);
      const before = standing.get(key);
      if (before) superseded.push(before.line);
      standing.set(key, { line, at: at++ });
    }
  }
  // In the order of the lines that stand: reading latest.json back (superseded first) then gives the same page.
  return { lines: [...standing.values()].sort((a, b) => a.at - b.at).map((s) => s.line), superseded };
}

/** A file's short name on the page: `bench/results/keyword-latency-2026-12-04.jsonl` → `keyword-latency`. */
export const shortFrom = (from: unknown) => (typeof from === 'string' ? basename(from).replace(/(-\d{4}-\d{2}-\d{2})?\.jsonl?$/, '') : '–');

// ---------------------------------------------------------------------------------------------------
// Kinds of lines.

/** Embedding lines of any shape (the embed benches': `embed-throughput`, `embed-query`, …). */
const isEmbedding = (l: Line) => /^embed/.test(String(l.bench)) || (l.bench === 'latency' && /^embed/.test(String(l.ranker)));
/** The query-path bench's lines (latency-shaped, with the embedder's weights): not the latency tables'. */
const isQueryPath = (l: Line) => l.bench === 'latency' && l.dtype !== undefined;
/** A rate in chunks (or texts) per second on an embedding line. */
const rateOf = (l: Line): number | undefined => {
  const key = Object.keys(l).find((k) => /per_s$/.test(k) && typeof l[k] === 'number');
  return key ? (l[key] as number) : undefined;
};
const PEERS = ['minisearch', 'flexsearch', 'orama', 'orama-vector', 'orama-hybrid'];
const isPeer = (l: Line) => PEERS.includes(String(l.ranker));

/** How a vector or hybrid line found its vectors: the code scan + int8 rescore the product ships, or the
 * exact int8 scan (before the codes, and beside them as the baseline). */
function scanOf(l: Line): string | undefined {
  if (l.ranker === 'vector code scan') return l.candidates !== undefined ? `${l.candidates} candidates` : undefined;
  if (!isScanLine(l)) return undefined;
  const scan = l.scan ?? 'int8';
  if (l.kernel === 'js') return `JS kernel, ${scan === 'int8' ? 'exact int8 scan' : 'codes + int8 rescore'}`;
  if (scan === 'int8') return 'exact int8 scan';
  const path = typeof l.path === 'string' ? l.path : 'codes + int8 rescore';
  return /exact/.test(path) ? path : `${path}${l.candidates !== undefined ? `, ${l.candidates} candidates` : ''}`;
}
export const label = (l: Line) => {
  const how = scanOf(l);
  return `${l.ranker}${how ? ` (${how})` : ''}${l.queries === 'long' ? ' — long queries' : l.queries === 'typed' ? ' — keystrokes' : ''}`;
};
/** The candidates the product rescores at a size (vector-index.ts: held int8 up to HOLD_INT8_UP_TO, read back past it). */
const shippedCandidates = (chunks: unknown) => ((chunks as number) <= HOLD_INT8_UP_TO ? DEFAULT_CANDIDATES : SOURCE_CANDIDATES);
/** The line of what the product runs among several of one ranker: the code scan at the shipped candidate
 * depth where there is one, then any code scan, then the exact int8 scan (before the codes). */
const product = (rows: Line[]) => {
  const ok = rows.filter((l) => l.kernel !== 'js');
  return ok.find((l) => l.scan === 'binary' && (l.candidates === undefined || l.candidates === shippedCandidates(l.chunks))) ?? ok.find((l) => l.scan === 'binary') ?? ok[0];
};
const cpuOr = (l?: Line) => (l ? (num(l.cpu_p95_ms) ?? num(l.p95_ms)) : undefined);

function genericTable(rows: Line[]): string {
  const keys = [...new Set(rows.flatMap((l) => Object.keys(l)))].filter((k) => k !== 'bench' && k !== 'from' && rows.some((l) => l[k] !== undefined && typeof l[k] !== 'object'));
  return table([...keys, 'from'], rows.map((l) => [...keys.map((k) => l[k]), shortFrom(l.from)]));
}

interface Target {
  target: string;
  measured: string;
  met: boolean | null;
  distance: string;
  from?: unknown[];
}
/** A ratio with two significant figures below 1 (0.05×), one decimal above. */
const ratio = (a: number, b: number) => { const x = a / b; return `${x < 1 ? x.toPrecision(2) : x.toFixed(1)}×`; };
const times = (value: number, goal: number) => `${(value / goal).toFixed(1)}× the goal`;
const fromList = (...ls: (Line | undefined)[]) => [...new Set(ls.filter(Boolean).map((l) => shortFrom(l!.from)))].join(', ');

export async function writeReport(lines: Line[], run: { root: string; started: string; finished: string; merged?: string[]; superseded?: Line[]; full?: boolean }): Promise<string[]> {
  const docs = resolve(run.root, 'docs');
  const chartsDir = resolve(docs, 'benchmarks');
  const resultsDir = resolve(run.root, 'bench/results');
  mkdirSync(chartsDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const written: string[] = [];
  const json = JSON.stringify({ started: run.started, finished: run.finished, merged: run.merged, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30) }, lines, superseded: run.superseded ?? [] }, null, 1);
  // A merge (`report --with`) rewrites latest.json only: the raw file of the run it started from stays as it was.
  for (const name of [...(run.full === false ? [] : [`${run.started.replace(/[:.]/g, '-')}.json`]), 'latest.json']) {
    writeFileSync(resolve(resultsDir, name), json);
    written.push(`bench/results/${name}`);
  }
  // Every line ever read, for pairing a peer with our line of the same run (a newer run of ours alone
  // replaces our line on the page, not in the peer's ratio).
  const everything = [...(run.superseded ?? []), ...lines];

  const latencyAll = lines.filter((l) => l.bench === 'latency' && !isEmbedding(l) && !isQueryPath(l) && typeof l.chunks === 'number');
  const latency = latencyAll.filter((l) => runtimeOf(l) === 'node');
  const chromiumLatency = latencyAll.filter((l) => runtimeOf(l) === 'chromium');
  const sizesOf = (ls: Line[]) => [...new Set(ls.map((l) => l.chunks as number))].sort((a, b) => a - b);
  const sizes = sizesOf(latency);
  const chromiumSizes = sizesOf(chromiumLatency);
  const coldstart = lines.filter((l) => l.bench === 'coldstart');
  const sync = lines.filter((l) => l.bench === 'sync');
  const embedding = lines.filter((l) => isEmbedding(l) || isQueryPath(l));
  const index = lines.filter((l) => l.bench === 'index' && runtimeOf(l) === 'node');
  const vectorState = lines.filter((l) => l.bench === 'vector-state');
  const bandwidth = lines.filter((l) => l.bench === 'bandwidth');
  const recall = lines.filter((l) => l.bench === 'vector-recall');
  const quality = lines.filter((l) => l.bench === 'quality' && !l.split);
  const RANK = ['keyword', 'typeahead', 'vector', 'vector code scan', 'hybrid', ...PEERS];
  const rank = (l: Line) => [RANK.indexOf(String(l.ranker)), l.kernel === 'js' ? 1 : 0, String(l.queries ?? ''), l === product([l]) && l.scan === 'binary' ? 0 : 1] as const;
  const byRank = (a: Line, b: Line) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };
  const at = (rows: Line[], chunks: number, pred: (l: Line) => boolean) => rows.filter((l) => l.chunks === chunks && pred(l)).sort(byRank);
  const short = (l: Line) => l.queries !== 'long' && l.queries !== 'typed';

  // Targets (issue 15), each met or its distance.
  const targets: Target[] = [];
  const collections = [...new Set(quality.map((l) => l.collection as string))];
  for (const c of collections) {
    const of = (r: string) => quality.find((l) => l.collection === c && l.ranker === r && !l.peer);
    const h = of('hybrid');
    if (!h) continue;
    for (const metric of ['ndcg@10', 'recall@100']) {
      const parts = ['keyword', 'vector', 'rrf'].map(of);
      const best = Math.max(...parts.map((l) => (l?.[metric] as number) ?? 0));
      const margin = (h[metric] as number) - best;
      targets.push({ target: `${c}: hybrid ${metric} ≥ keyword, vector and plain RRF`, measured: `${fmt(h[metric], 3)} vs best ${fmt(best, 3)}`, met: margin >= 0, distance: margin >= 0 ? `+${margin.toFixed(3)}` : margin.toFixed(3), from: [fromList(h, ...parts)] });
    }
  }
  // Judged on this thread's CPU time where there is one: on a shared box wall time is mostly waiting.
  const latencyTarget = (name: string, l: Line | undefined, goal: number, open: string) => {
    const value = cpuOr(l);
    targets.push({
      target: name,
      measured: l === undefined ? 'not measured' : `${l.cpu_p95_ms !== undefined ? `CPU p95 ${fmt(l.cpu_p95_ms)} ms (wall p95 ${fmt(l.p95_ms)} ms)` : `wall p95 ${fmt(l.p95_ms)} ms (p50 ${fmt(l.p50_ms)} ms)`}${scanOf(l) ? `, ${scanOf(l)}` : ''}`,
      met: value === undefined ? null : value <= goal,
      distance: value === undefined ? `open (${open})` : value <= goal ? 'met' : times(value, goal),
      from: [fromList(l)],
    });
  };
  const big = sizes.includes(100_000) ? 100_000 : sizes[sizes.length - 1];
  if (big !== undefined) {
    latencyTarget(`typeahead p95 ≤ 5 ms a keystroke at ${fmt(big)} chunks (Node; the side panel's instant list, Bm25Index.typeahead)`, at(latency, big, (l) => l.ranker === 'typeahead' && l.queries === 'typed')[0], 5, '`npm run bench -- latency`');
    latencyTarget(`hybrid p95 ≤ 10 ms at ${fmt(big)} chunks, short queries (Node)`, product(at(latency, big, (l) => l.ranker === 'hybrid' && short(l))), 10, '`npm run bench -- latency`');
    latencyTarget(`hybrid p95 ≤ 10 ms at ${fmt(big)} chunks, long (15–20 word) queries (Node)`, product(at(latency, big, (l) => l.ranker === 'hybrid' && l.queries === 'long')), 10, '`npm run bench -- latency`');
  }
  if (chromiumSizes.includes(100_000)) {
    latencyTarget('typeahead p95 ≤ 5 ms a keystroke at 100,000 chunks (Chromium, wall)', at(chromiumLatency, 100_000, (l) => l.ranker === 'typeahead' && l.queries === 'typed')[0], 5, '`npm run bench -- latency --chromium`');
    latencyTarget('hybrid p95 ≤ 10 ms at 100,000 chunks, short queries (Chromium, wall)', product(at(chromiumLatency, 100_000, (l) => l.ranker === 'hybrid' && short(l))), 10, '`npm run bench -- latency --chromium`');
  }
  // A million chunks: Chromium is the target; Node (CPU) beside it.
  {
    const m = chromiumSizes.find((n) => n >= 1_000_000);
    const h = m === undefined ? undefined : product(at(chromiumLatency, m, (l) => l.ranker === 'hybrid' && short(l)));
    const largest = chromiumSizes[chromiumSizes.length - 1];
    if (h) latencyTarget(`hybrid p95 ≤ 25 ms at ${fmt(m)} chunks in Chromium (wall)`, h, 25, '');
    else {
      const seen = largest === undefined ? undefined : product(at(chromiumLatency, largest, (l) => l.ranker === 'hybrid' && short(l)));
      targets.push({ target: 'hybrid p95 ≤ 25 ms at 1,000,000 chunks in Chromium', measured: seen ? `not measured at 1M; at ${fmt(largest)} chunks p95 ${fmt(seen.p95_ms)} ms` : 'not measured', met: null, distance: 'open (`npm run bench -- latency --chromium --chunks 1000000`)', from: [fromList(seen)] });
    }
    const million = sizes.find((n) => n >= 1_000_000);
    const hn = million === undefined ? undefined : product(at(latency, million, (l) => l.ranker === 'hybrid' && short(l)));
    latencyTarget(`hybrid p95 ≤ 25 ms at 1,000,000 chunks (Node, CPU)`, hn, 25, '`npm run bench -- latency --chunks 1000000`');
  }
  // The whole search state at each size: the ranking index plus the vector index the product builds at
  // that size (the code index where measured, else the int8 one), each the newest line of its own name
  // — never a sum over files or over both vector indexes.
  const stateAt = (n: number) => {
    const ranking = index.find((l) => l.chunks === n && l.index === 'ranking (BM25F)' && (num(l.mib) ?? 0) > 0);
    const vectors = index.find((l) => l.chunks === n && /^vector \(binary codes/.test(String(l.index)) && (num(l.mib) ?? 0) > 0) ?? index.find((l) => l.chunks === n && /^vector \(int8/.test(String(l.index)) && (num(l.mib) ?? 0) > 0);
    return { ranking, vectors, mib: ranking && vectors ? (ranking.mib as number) + (vectors.mib as number) : undefined };
  };
  const stateSizes = sizesOf(index.filter((l) => /^(ranking|vector)/.test(String(l.index))));
  {
    const million = stateSizes.find((n) => n >= 1_000_000);
    const s = million === undefined ? undefined : stateAt(million);
    if (s?.mib !== undefined)
      targets.push({ target: 'search state ≤ 300 MiB at 1,000,000 chunks (stretch 150; ranking index + vector index, Node heap growth over the build)', measured: `${fmt(s.mib)} MiB = ranking ${fmt(s.ranking!.mib)} + ${s.vectors!.index} ${fmt(s.vectors!.mib)}`, met: s.mib <= 300, distance: s.mib <= 150 ? 'met (stretch too)' : s.mib <= 300 ? 'met (stretch 150 not)' : times(s.mib, 300), from: [fromList(s.ranking, s.vectors)] });
    else targets.push({ target: 'search state ≤ 300 MiB at 1,000,000 chunks', measured: 'not measured (ranking and vector index lines at 1M)', met: null, distance: 'open (`npm run bench -- latency --chunks 1000000`)' });
  }
  // Recall of the shipped code scan + rescore against exact search, at the candidate depth the product
  // rescores past HOLD_INT8_UP_TO (the 1M target's), with the depth it uses below that beside it.
  {
    const shipped = recall.filter((l) => l.coding === SHIPPED_CODING);
    const newest = (depth: number, random: boolean) => shipped.filter((l) => l.depth === depth && /random/.test(String(l.set)) === random).sort((a, b) => (b.chunks as number) - (a.chunks as number))[0];
    const real = newest(SOURCE_CANDIDATES, false);
    const rand = newest(SOURCE_CANDIDATES, true);
    const real400 = newest(DEFAULT_CANDIDATES, false);
    if (real || rand) {
      const r = (l?: Line) => (l ? `${fmt(l.recall_at_10, 3)} at ${l.depth} on ${l.set} (${fmt(l.chunks)} chunks)` : undefined);
      const value = (real ?? rand!).recall_at_10 as number;
      // The target is at 1M chunks: real embeddings exist here for 12.6k, so "met" needs a real set of 1M.
      const atScale = real !== undefined && (real.chunks as number) >= 1_000_000;
      targets.push({ target: `recall@10 ≥ 0.95 against exact search at 1M chunks (${SHIPPED_CODING} codes, ${SOURCE_CANDIDATES} candidates rescored past ${fmt(HOLD_INT8_UP_TO)} chunks, ${DEFAULT_CANDIDATES} below)`, measured: [r(real), r(real400), r(rand)].filter(Boolean).join('; '), met: atScale ? value >= 0.95 : null, distance: `${value >= 0.95 ? 'met' : (value - 0.95).toFixed(3)} on real embeddings${real && !atScale ? ` at ${fmt(real.chunks)} chunks (no real set of 1M here)` : ''}${rand ? `; ${((rand.recall_at_10 as number) - 0.95).toFixed(3)} on random unit vectors at ${fmt(rand.chunks)} (the codes' worst case)` : ''}`, from: [fromList(real, rand)] });
    } else targets.push({ target: 'recall@10 ≥ 0.95 against exact search', measured: 'not measured', met: null, distance: 'open (`npm run bench -- vectors`)' });
  }
  // Cold start (bench/cold-start): judged on reopening, the panel a person opens every day; the first
  // open after the memory was written (everything built from nothing) is shown beside it.
  {
    // One run is judged: the newest (its file last merged) with the offscreen document left running;
    // the newest run that restarted it (a browser start, `--fresh-offscreen`) is shown beside it.
    const newestRun = (ls: Line[]) => ls.filter((l) => l.from === ls[ls.length - 1]?.from);
    const plain = coldstart.filter((l) => l.fresh_offscreen !== true);
    const at100k = plain.filter((l) => (l.chunks as number) >= 100_000);
    const rows = newestRun(at100k.length ? at100k : plain);
    const fresh = newestRun(coldstart.filter((l) => l.fresh_offscreen === true));
    const freshReopen = fresh.filter((l) => l.open === 'reopen').map((l) => l.first_results_ms as number);
    const reopen = rows.filter((l) => l.open === 'reopen').map((l) => l.first_results_ms as number);
    const first = rows.find((l) => l.open === 'first');
    const worst = reopen.length ? Math.max(...reopen) : undefined;
    const n = rows[0]?.chunks as number | undefined;
    if (worst !== undefined)
      targets.push({
        target: `cold start: first results ≤ 1 s on a 100k-chunk memory (Chromium, side panel${n !== undefined && n < 100_000 ? `; measured at ${fmt(n)} chunks` : ''})`,
        measured: `reopen: ${reopen.map((x) => `${fmt(x / 1000)} s`).join(', ')}${first ? `; first open after writing the memory: ${fmt((first.first_results_ms as number) / 1000)} s` : ''}${coldStartParts(rows)}${freshReopen.length ? `; after a browser start (the offscreen document started as the panel opens), reopen: ${freshReopen.map((x) => `${fmt(x / 1000)} s`).join(', ')}` : ''}`,
        met: worst <= 1000 && (n ?? 0) >= 100_000,
        distance: worst <= 1000 ? 'met' : times(worst / 1000, 1),
        from: [fromList(...rows, ...fresh)],
      });
    else targets.push({ target: 'cold start: first results ≤ 1 s on a 100k-chunk memory', measured: 'not measured by this run', met: null, distance: 'open (`npm run bench -- coldstart`)' });
  }
  // Embedding throughput: the best WASM (Chromium) rate of the shipped weights against the best native.
  const ratedEmbedding = embedding.filter((l) => rateOf(l) !== undefined);
  {
    const best = (pred: (l: Line) => boolean) => ratedEmbedding.filter(pred).sort((a, b) => rateOf(b)! - rateOf(a)!)[0];
    const shippedOr = (pred: (l: Line) => boolean) => best((l) => pred(l) && (l.dtype === undefined || l.dtype === SHIPPED_DTYPE)) ?? best(pred);
    const wasm = shippedOr((l) => runtimeOf(l) === 'chromium' || /wasm/i.test(String(l.runtime)));
    const native = shippedOr((l) => runtimeOf(l) === 'node' && !/wasm/i.test(String(l.runtime)));
    const describe = (l: Line) => `${fmt(rateOf(l))} chunks/s (${[l.dtype, l.batch !== undefined ? `batch ${l.batch}` : undefined, l.threads !== undefined ? `threads ${l.threads}` : undefined, l.cpu_ms_per_chunk !== undefined ? `${fmt(l.cpu_ms_per_chunk)} CPU ms a chunk` : undefined].filter(Boolean).join(', ')})`;
    if (wasm || native)
      targets.push({ target: 'indexing throughput: WASM (Chromium) vs native (Node), shipped weights, best configuration each', measured: `WASM ${wasm ? describe(wasm) : 'not measured'}; native ${native ? describe(native) : 'not measured'}`, met: null, distance: wasm && native ? `WASM at ${Math.round((rateOf(wasm)! / rateOf(native)!) * 100)}% of native (wall)${num(wasm.cpu_ms_per_chunk) && num(native.cpu_ms_per_chunk) ? `, ${((wasm.cpu_ms_per_chunk as number) / (native.cpu_ms_per_chunk as number)).toFixed(1)}× its CPU a chunk` : ''}` : 'open', from: [fromList(wasm, native)] });
    else targets.push({ target: 'indexing throughput WASM vs native', measured: 'not measured by this run', met: null, distance: 'open (`npm run bench -- embed-throughput`)' });
  }
  // A typed query end to end (query embedding + search) in Chromium at 100k, with the shipped weights: a
  // new query (cache miss) is the target; a repeated one (cache hit) is shown beside it.
  {
    const typed = embedding.filter((l) => l.ranker === 'typed-query' && runtimeOf(l) === 'chromium' && (l.dtype === undefined || l.dtype === SHIPPED_DTYPE));
    const pick = (cache: string) => {
      // The shipped embedder's line (query-path marks it `shipped`; older runs had one embedder), never the
      // one measured while indexing runs beside it (shown in the embedding section).
      // Lines of runs before the field: the dedicated worker is what ships. Newest run first.
      const shipped = (l: Line) => l.shipped === true || (l.shipped === undefined && l.embedder_in === 'dedicated worker');
      const all = typed.filter((l) => l.cache === cache && l.while === undefined).reverse();
      const rows = all.some(shipped) ? all.filter(shipped) : all;
      return rows.find((l) => l.chunks === 100_000 && (l.threads === 1 || l.threads === undefined)) ?? rows.find((l) => l.chunks === 100_000) ?? rows[0];
    };
    const miss = pick('miss');
    const hit = pick('hit');
    const show = (l: Line) => `p95 ${fmt(l.p95_ms)} ms (p50 ${fmt(l.p50_ms)}${l.cpu_mean_ms !== undefined ? `, CPU mean ${fmt(l.cpu_mean_ms)}` : ''})`;
    if (miss || hit) {
      const judged = (miss ?? hit)!;
      const v = judged.p95_ms as number;
      targets.push({ target: `typed query end to end p95 ≤ 15 ms in Chromium at ${fmt(judged.chunks ?? 100_000)} chunks (${judged.dtype ?? SHIPPED_DTYPE}, ${judged.threads ?? 1} thread)`, measured: `new query: ${miss ? show(miss) : 'not measured'}; repeated (cached embedding): ${hit ? show(hit) : 'not measured'}`, met: v <= 15, distance: `${v <= 15 ? 'met' : times(v, 15)} for a new query${hit ? `; ${(hit.p95_ms as number) <= 15 ? 'met' : times(hit.p95_ms as number, 15)} cached` : ''}`, from: [fromList(miss, hit)] });
    } else targets.push({ target: 'typed query end to end p95 ≤ 15 ms in Chromium', measured: 'not measured by this run', met: null, distance: 'open (`npm run bench -- query-path`)' });
  }
  // Ours against the peers, the queries interleaved engine by engine (bench/peers-interleaved.ts): at each
  // size, how many times our p95 (and CPU p95) theirs is.
  const interleaved = lines.filter((l) => l.bench === 'peers');
  const versus = (peer: Line) => {
    const ranker = peer.ranker === 'orama-vector' ? 'vector' : peer.ranker === 'orama-hybrid' ? 'hybrid' : 'keyword';
    return interleaved.find((l) => l.ranker === ranker && l.chunks === peer.chunks && l.from === peer.from && runtimeOf(l) === runtimeOf(peer));
  };
  const speedup = (peer: Line) => {
    const ours = versus(peer);
    if (!ours) return undefined;
    const cpu = num(peer.cpu_p95_ms) && num(ours.cpu_p95_ms) ? `, CPU ${ratio(peer.cpu_p95_ms as number, ours.cpu_p95_ms as number)}` : '';
    return `${ratio(peer.p95_ms as number, ours.p95_ms as number)} ours${cpu}`;
  };
  for (const n of sizesOf(interleaved)) {
    const peers = interleaved.filter((l) => l.chunks === n && isPeer(l));
    targets.push({ target: `peers' p95 over ours at ${fmt(n)} chunks, same corpus and queries, interleaved (Node; keyword peers vs our keyword, Orama vector/hybrid vs ours)`, measured: peers.map((l) => `${l.ranker} ${speedup(l) ?? '–'}`).join('; '), met: null, distance: 'shown (no goal set)', from: [fromList(...peers)] });
  }
  const captureRatio = lines.find((l) => l.bench === 'capture' && l.ratio_p50 !== undefined);
  if (captureRatio) targets.push({ target: 'capture overhead: page load with / without the extension (Chromium, reference pages)', measured: `p50 ${fmt(captureRatio.ratio_p50)}×, p95 ${fmt(captureRatio.ratio_p95)}×`, met: null, distance: 'shown (no goal set)', from: [fromList(captureRatio)] });
  else targets.push({ target: 'capture overhead (page load with / without the extension)', measured: 'not measured', met: null, distance: 'open (`npm run bench -- capture`)' });
  if (sync.length) {
    const d = (dir: string) => sync.find((l) => l.direction === dir);
    const show = (l?: Line) => (l ? `${fmt(l.records_per_s)} records/s (${fmt((l.total_ms as number) / 1000)} s)` : 'not measured');
    targets.push({ target: `sync of ${fmt(sync[0]!.records)} records through the local worker (push / pull)`, measured: `push ${show(d('push'))}; pull ${show(d('pull'))}`, met: null, distance: 'shown (no goal set)', from: [fromList(...sync)] });
  } else targets.push({ target: 'sync push/pull of 10k records through the local worker', measured: 'not measured by this run', met: null, distance: 'open (`npm run bench -- sync`)' });

  // Peers beside ours: the peer's p95 over our comparable line's p95 in the same run (same process,
  // corpus, queries and load), or the newest of ours when that run had none.
  const oursFor = (peer: Line, pool: Line[]) => {
    const ranker = peer.ranker === 'orama-vector' ? 'vector' : peer.ranker === 'orama-hybrid' ? 'hybrid' : 'keyword';
    const pick = (rows: Line[]) => product(rows.filter((l) => l.bench === 'latency' && l.ranker === ranker && l.chunks === peer.chunks && runtimeOf(l) === runtimeOf(peer) && short(l) && !isQueryPath(l)));
    return { ours: pick(pool.filter((l) => l.from === peer.from)) ?? pick(pool), sameRun: !!pick(pool.filter((l) => l.from === peer.from)) };
  };
  const ratioCell = (l: Line) => {
    if (!isPeer(l)) return '–';
    const { ours, sameRun } = oursFor(l, everything);
    if (!ours) return '–';
    const wall = `${ratio(l.p95_ms as number, ours.p95_ms as number)} ${ours.ranker}`;
    const cpu = num(l.cpu_p95_ms) && num(ours.cpu_p95_ms) ? `, CPU ${ratio(l.cpu_p95_ms as number, ours.cpu_p95_ms as number)}` : '';
    return `${wall}${cpu}${sameRun ? '' : ` (ours from ${shortFrom(ours.from)})`}`;
  };

  // Each kernel's rate beside the memory copy measured in the same run at that size (kept even when a
  // newer run replaced the copy's line: a rate is only comparable with its own run's reference).
  const bandwidthRows = bandwidth
    .filter((l) => !/memory copy/.test(String(l.what)))
    .map((kernel) => {
      const ref = everything.filter((l) => l.bench === 'bandwidth' && /memory copy/.test(String(l.what)) && l.from === kernel.from && runtimeOf(l) === runtimeOf(kernel) && l.beside === kernel.chunks).pop();
      const rt = runtimeOf(kernel) === 'chromium' ? 'Chromium' : 'Node';
      return { kernel, ref, rt, name: `${rt} @ ${fmt(kernel.chunks)}: ${/binary/.test(String(kernel.what)) ? 'binary codes' : 'int8'}` };
    });

  // Charts.
  const V = 'https://vega.github.io/schema/vega-lite/v6.json' as const;
  // One point per engine and size: the product's line (the code scan where measured, else the exact int8
  // scan, marked by its shape), keystrokes for the typeahead, short queries.
  const curveRows = (rows: Line[], measure: (l: Line) => number | undefined) => {
    const shown = rows.filter((l) => ['keyword', 'typeahead', 'vector', 'hybrid', ...PEERS].includes(String(l.ranker)) && l.queries !== 'long' && (l.ranker !== 'typeahead' || l.queries === 'typed') && l.kernel !== 'js');
    const groups = new Map<string, Line[]>();
    for (const l of shown) groups.set(`${l.ranker} ${l.chunks}`, [...(groups.get(`${l.ranker} ${l.chunks}`) ?? []), l]);
    return [...groups.values()]
      .map((g) => product(g)!)
      .map((l) => ({ engine: String(l.ranker) === 'typeahead' ? 'typeahead (keystrokes)' : String(l.ranker), chunks: l.chunks as number, ms: measure(l), scan: isScanLine(l) ? (l.scan === 'binary' ? 'codes + rescore' : 'exact int8') : 'n/a' }))
      .filter((r) => r.ms !== undefined && r.ms > 0);
  };
  const curve = (title: string, values: { engine: string; chunks: number; ms: number | undefined; scan: string }[], y: string): TopLevelSpec => ({
    $schema: V,
    title,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'chunks', type: 'quantitative', scale: { type: 'log' }, title: 'chunks (log)' }, y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: y }, color: { field: 'engine', type: 'nominal' }, shape: { field: 'scan', type: 'nominal', title: 'vector scan' } },
    width: 480,
  });
  const memoryRows = index.filter((l) => (num(l.mib) ?? 0) > 0 && l.index !== 'vector (int8, wasm-simd)').map((l) => ({ index: String(l.index), chunks: l.chunks as number, mib: l.mib as number }));
  const charts: Record<string, TopLevelSpec> = {
    latency: curve('Query latency 10k → 100k → 1M chunks, Node (CPU p95 ms; Orama: wall)', curveRows(latency, (l) => num(l.cpu_p95_ms) ?? num(l.p95_ms)), 'p95 ms (log)'),
    memory: {
      $schema: V,
      title: 'Index memory 10k → 100k → 1M chunks (MiB, Node heap + external growth)',
      data: { values: memoryRows },
      mark: { type: 'line', point: true },
      encoding: { x: { field: 'chunks', type: 'quantitative', scale: { type: 'log' }, title: 'chunks (log)' }, y: { field: 'mib', type: 'quantitative', scale: { type: 'log' }, title: 'MiB (log)' }, color: { field: 'index', type: 'nominal' } },
      width: 480,
    },
    quality: {
      $schema: V,
      title: 'nDCG@10 per collection',
      data: { values: quality.map((l) => ({ collection: l.collection, ranker: l.ranker, ndcg: l['ndcg@10'] })) },
      mark: 'bar',
      encoding: { x: { field: 'collection', type: 'nominal', title: null }, xOffset: { field: 'ranker' }, y: { field: 'ndcg', type: 'quantitative', title: 'nDCG@10' }, color: { field: 'ranker', type: 'nominal' } },
      width: 640,
    },
    bandwidth: {
      $schema: V,
      title: 'Vector kernels\' read rate vs a memory copy in the same run (GB/s)',
      data: { values: bandwidthRows.flatMap((b) => [{ row: b.name, what: 'kernel', gbs: b.kernel.gb_per_s }, ...(b.ref ? [{ row: b.name, what: 'memory copy, same run', gbs: b.ref.gb_per_s }] : [])]) },
      mark: 'bar',
      encoding: { y: { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 400 } }, yOffset: { field: 'what' }, x: { field: 'gbs', type: 'quantitative', title: 'GB/s' }, color: { field: 'what', type: 'nominal' } },
      width: 480,
    },
  };
  if (chromiumLatency.length) {
    charts['latency-chromium'] = curve('Query latency 10k → 100k → 1M chunks, Chromium (wall p95 ms)', curveRows(chromiumLatency, (l) => num(l.p95_ms)), 'p95 ms (log)');
    const pair = latencyAll.filter((l) => chromiumSizes.includes(l.chunks as number) && ['keyword', 'typeahead', 'hybrid', 'vector'].includes(String(l.ranker)) && l.kernel !== 'js');
    charts['latency-runtimes'] = {
      $schema: V,
      title: 'p95 ms, Node vs Chromium (same code, corpus and queries)',
      data: { values: pair.map((l) => ({ engine: `${label(l)} @ ${fmt(l.chunks)}`, runtime: runtimeOf(l), p95: l.p95_ms as number })) },
      mark: 'bar',
      encoding: { y: { field: 'engine', type: 'nominal', title: null, axis: { labelLimit: 400 } }, x: { field: 'p95', type: 'quantitative', scale: { type: 'log' }, title: 'p95 ms' }, color: { field: 'runtime', type: 'nominal' }, yOffset: { field: 'runtime' } },
      width: 480,
    };
  }
  if (coldstart.length)
    charts.coldstart = {
      $schema: V,
      title: 'Side panel cold start: typed query → first results (s), Chromium',
      data: { values: coldstart.map((l) => ({ open: `${l.open} #${l.run} @ ${fmt(l.chunks)}`, phase: 'first results', s: (l.first_results_ms as number) / 1000 })).concat(coldstart.map((l) => ({ open: `${l.open} #${l.run} @ ${fmt(l.chunks)}`, phase: 'search box usable', s: (l.input_ms as number) / 1000 }))) },
      mark: 'bar',
      encoding: { y: { field: 'open', type: 'nominal', title: null, sort: null }, x: { field: 's', type: 'quantitative', title: 'seconds from opening the panel' }, color: { field: 'phase', type: 'nominal' }, yOffset: { field: 'phase' } },
      width: 480,
    };
  if (sync.length)
    charts.sync = {
      $schema: V,
      title: 'Sync through wrangler dev --local (records/s)',
      data: { values: sync.map((l) => ({ direction: `${l.direction} (${fmt(l.records)} ${l.record_kind ?? 'record'}s)`, rate: l.records_per_s })) },
      mark: 'bar',
      encoding: { y: { field: 'direction', type: 'nominal', title: null }, x: { field: 'rate', type: 'quantitative', title: 'records/s' } },
      width: 480,
    };
  if (ratedEmbedding.length)
    charts.embedding = {
      $schema: V,
      title: 'Embedding throughput, WASM (Chromium) vs native (Node), chunks/s',
      data: { values: ratedEmbedding.map((l) => ({ config: [String(l.runtime).replace(/[\d.]+ /, ' ').replace(/^HeadlessChrome\/[\d.]+/, 'Chromium'), l.dtype, l.batch !== undefined ? `batch ${l.batch}` : undefined, l.threads !== undefined ? `threads ${l.threads}` : undefined].filter(Boolean).join(' · '), rate: rateOf(l) })) },
      mark: 'bar',
      encoding: { y: { field: 'config', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 400 } }, x: { field: 'rate', type: 'quantitative', title: 'chunks/s' } },
      width: 480,
    };
  for (const [name, spec] of Object.entries(charts)) {
    writeFileSync(resolve(chartsDir, `${name}.svg`), await svg(spec));
    written.push(`docs/benchmarks/${name}.svg`);
  }

  const md: string[] = [];
  md.push('# Benchmarks', '');
  const order = (f: string) => (run.merged ?? []).indexOf(f);
  const sources = [...new Set(lines.map((l) => String(l.from)))].sort((a, b) => order(a) - order(b));
  md.push(`Written by \`npm run bench\` (scripts/bench.mjs → bench/report.ts), ${run.merged?.length ? `merging runs with \`npm run bench -- report --with F\`` : `from one run, ${run.started} – ${run.finished}`}, on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB. The machine is shared: wall times carry other people's load (\`CPU p95\` is this thread's CPU time, judged where a bench has it). Raw lines: \`bench/results/latest.json\` (each with \`from\`, the file it came from; lines a newer run replaced are kept there under \`superseded\`).`, '');
  if (sources.length > 1) md.push(`Where the numbers come from: a later run of the same measurement replaces an earlier one (newest wins); the \`from\` column names the file (\`bench/results/<from>-<date>.jsonl\`; \`run …\` = the full run \`latest.json\` started from). Sources, oldest first: ${sources.map((s) => `\`${shortFrom(s)}\``).join(', ')}.`, '');
  md.push('## Targets (issue 15)', '');
  md.push(table(['target', 'measured', 'met', 'distance', 'from'], targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'no', t.distance, t.from?.join(', ') || '–'])), '');
  md.push('## Quality', '', '![nDCG@10 per collection](benchmarks/quality.svg)', '');
  md.push('nDCG@10 and recall@100, binary relevance, over judged queries. `keyword` is plain stemmed BM25F (the ranking index), `keyword+feedback` the same with pseudo-relevance feedback, `vector` the bundled encoder over chunks (best chunk per document), `rrf` a plain reciprocal rank fusion (k = 60) of `keyword` and `vector`, `hybrid` the product\'s ranking (extension/search/hybrid.ts). Peers (`minisearch`, `flexsearch`, `orama`) are their libraries\' own keyword rankers over the same documents and queries (their lines do not depend on our code, so an older run of them stands until the next full run).', '');
  for (const c of collections) {
    md.push(`### ${c}`, '');
    md.push(table(['ranker', 'nDCG@10', 'recall@100', 'queries', 'from'], quality.filter((l) => l.collection === c).map((l) => [l.ranker, l['ndcg@10'], l['recall@100'], l.queries, shortFrom(l.from)])), '');
    const held = lines.filter((l) => l.bench === 'quality' && l.collection === c && l.split === 'test');
    if (held.length) md.push(`Odd query positions only (held out of \`npm run bench -- tune\`):`, '', table(['ranker', 'nDCG@10', 'recall@100', 'queries', 'from'], held.map((l) => [l.ranker, l['ndcg@10'], l['recall@100'], l.queries, shortFrom(l.from)])), '');
  }
  md.push('## Latency (Node)', '', '![latency curve](benchmarks/latency.svg)', '');
  md.push('Synthetic seeded corpus (bench/latency.ts): ~64-word chunks over a Zipf vocabulary, 10 chunks per source, 512-d random unit vectors; short queries are 2–6 words, long ones 15–20. The same chunks and queries go to every engine, in one process, one engine after the other (not interleaved query by query; the CPU column is what load changes least). `keyword` is our ranking index with pseudo-relevance feedback, `typeahead` the side panel\'s instant list served by the same index (`keystrokes` = queries cut inside their last word), `vector` the product\'s vector index (its scan in brackets: exact int8 up to 20k chunks, rotated sign codes + int8 rescore of the best candidates past it; `exact int8 scan` is the index before the codes and the baseline beside them), `hybrid` keyword + vector + fusion (the query embedding is not included). `vs ours` = a peer\'s p95 over our comparable line\'s p95 (keyword for the keyword peers, vector for `orama-vector`, hybrid for `orama-hybrid`) measured in the same run.', '');
  for (const n of sizes) {
    md.push(`### ${fmt(n)} chunks`, '');
    md.push(table(['engine', 'p50 ms', 'p95 ms', 'CPU p95 ms', 'peer vs ours (p95)', 'from'], at(latency, n, () => true).map((l) => [label(l), l.p50_ms, l.p95_ms, l.cpu_p95_ms, ratioCell(l), shortFrom(l.from)])), '');
  }
  const peerSizes = sizesOf(latencyAll.filter(isPeer));
  md.push(`Peers measured at ${peerSizes.length ? peerSizes.map((n) => fmt(n)).join(', ') : 'no size'} chunks. Orama's vector and hybrid search hold every vector as a plain JS array of numbers (~8 bytes a dimension: ~4 GiB at 1M × 512) and scan them all in JS per query (hundreds of ms at 10k), so the latency bench measures them only up to 10k (\`peerVectorChunks\`); at 1M none of the peers is measured: their builds grow about linearly (see Memory and build time: MiniSearch's build at 100k is several minutes on this shared 2-core box), so three more full-text indexes of 1M chunks beside ours would hold both cores for an hour or more and several GiB of the 24 GiB the whole team shares. The largest size each reached is in the tables above.`, '');
  if (interleaved.length) {
    md.push('## Ours against the peers, interleaved (Node)', '');
    md.push('`npm run bench -- peers [--chunks N] [--runs N]` (bench/peers-interleaved.ts): the latency bench\'s corpus, queries and query vectors; for each query every engine answers once, in an order that rotates from query to query, so load on this shared box falls on all engines alike. `peer / ours` = the peer\'s p95 over our comparable engine\'s p95 in the same run (keyword for the keyword peers, vector for `orama-vector`, hybrid for `orama-hybrid`); CPU = this process\'s CPU time per query.', '');
    for (const n of sizesOf(interleaved)) {
      md.push(`### ${fmt(n)} chunks, interleaved`, '');
      md.push(table(['engine', 'p50 ms', 'p95 ms', 'CPU p95 ms', 'peer / ours', 'runs', 'from'], interleaved.filter((l) => l.chunks === n).sort(byRank).map((l) => [label({ ...l, bench: 'latency' }), l.p50_ms, l.p95_ms, l.cpu_p95_ms, isPeer(l) ? (speedup(l) ?? '–') : '–', l.runs, shortFrom(l.from)])), '');
    }
  }
  md.push('## Memory and build time', '', '![memory](benchmarks/memory.svg)', '');
  md.push('Heap + external growth across each build after a full collection (Node, `--expose-gc`): it includes growth slack in typed arrays and WASM memory. A negative growth (a collection during the build freed more than the index holds) is shown as –. `search state` = the ranking index + the vector index the product builds at that size, each the newest measurement of its own.', '');
  md.push(table(['index', 'chunks', 'MiB', 'bytes/chunk', 'build ms', 'from'], [...index].sort((a, b) => (a.chunks as number) - (b.chunks as number)).map((l) => [l.index, l.chunks, (num(l.mib) ?? -1) > 0 ? l.mib : '–', (num(l.bytes_per_chunk) ?? -1) > 0 ? l.bytes_per_chunk : '–', l.build_ms, shortFrom(l.from)])), '');
  md.push(table(['chunks', 'search state MiB', 'ranking MiB', 'vector index MiB', 'vector data MiB (codes / int8 held)', 'from'], stateSizes.map((n) => {
    const s = stateAt(n);
    const data = vectorState.filter((l) => l.chunks === n).map((l) => `${l.scan}: ${fmt(l.vector_mib, 1)}${l.holds_int8 ? ' (int8 held)' : ''}`).join('; ');
    return [n, s.mib, s.ranking?.mib, s.vectors ? `${s.vectors.mib} (${s.vectors.index})` : undefined, data || '–', fromList(s.ranking, s.vectors)];
  })), '');
  md.push('## Vector kernel vs memory bandwidth', '', '![bandwidth](benchmarks/bandwidth.svg)', '');
  md.push('The kernels\' rate is the bytes they scan per second at the scan\'s p50 (int8: 512 bytes a row; binary codes: 68 bytes a row); the reference is the best of five 128 MiB `TypedArray.set` copies (bytes read + written per second), measured in the same process right after the kernels at that size.', '');
  md.push(table(['runtime', 'chunks', 'kernel', 'GB/s', 'memory copy GB/s (same run)', 'kernel / copy', 'from'], bandwidthRows.map((b) => [b.rt, b.kernel.chunks, String(b.kernel.what).replace(/^vector kernel scan \((wasm-simd), (.*)\)$/, '$2 ($1)'), b.kernel.gb_per_s, b.ref?.gb_per_s, b.ref ? `${Math.round(((b.kernel.gb_per_s as number) / (b.ref.gb_per_s as number)) * 100)}%` : '–', shortFrom(b.kernel.from)])), '');
  if (recall.length) {
    md.push('## Vector recall against exact search', '');
    md.push(`\`npm run bench -- vectors\` (bench/vector-recall.ts): recall@10 of the code scan + int8 rescore at each candidate depth, on every chunk of Cranfield + MED + CACM embedded by the bundled model (truth: float cosine) and on the latency bench's random unit vectors (the worst case for sign codes; truth: the exact int8 scan past 20k). The product ships \`${SHIPPED_CODING}\` with ${DEFAULT_CANDIDATES} candidates up to 100k chunks and ${SOURCE_CANDIDATES} past it.`, '');
    const depths = [...new Set(recall.map((l) => l.depth as number))].filter((d) => d <= 2000).sort((a, b) => a - b);
    const groups = [...new Set(recall.filter((l) => l.coding !== 'exact int8 scan').map((l) => `${l.set}|${l.chunks}|${l.coding}`))];
    md.push(table(['set', 'chunks', 'coding', ...depths.map((d) => `@${d}`), 'from'], groups.map((g) => {
      const rows = recall.filter((l) => `${l.set}|${l.chunks}|${l.coding}` === g);
      return [rows[0]!.set, rows[0]!.chunks, rows[0]!.coding, ...depths.map((d) => rows.find((l) => l.depth === d)?.recall_at_10), shortFrom(rows[0]!.from)];
    })), '');
  }
  if (chromiumLatency.length) {
    md.push('## Latency in Chromium', '', '![Chromium latency curve](benchmarks/latency-chromium.svg)', '', '![Node vs Chromium](benchmarks/latency-runtimes.svg)', '');
    md.push('`npm run bench -- latency --chromium [--chunks N] [--peers]` (bench/latency-browser.ts): the same module, corpus and queries as the Node run, bundled and run in a headless Chromium page (the WASM kernel in the browser\'s V8). Wall time only (a page has no per-thread CPU clock). `peer vs ours` as in Node, within the same Chromium run; `Chromium / Node` is the p95 over the same measurement\'s p95 in Node — wall over wall, from runs made at different times on this shared box, so read it as a rough ratio.', '');
    for (const n of chromiumSizes) {
      const here = at(chromiumLatency, n, () => true);
      const nodeOf = (l: Line) => latency.find((x) => measurementKey({ ...x, runtime: '' }) === measurementKey({ ...l, runtime: '' }));
      md.push(`### ${fmt(n)} chunks, Chromium`, '');
      md.push(table(['engine', 'p50 ms', 'p95 ms', 'peer vs ours (p95)', 'Chromium / Node p95', 'from'], here.map((l) => [label(l), l.p50_ms, l.p95_ms, ratioCell(l), nodeOf(l) ? `${((l.p95_ms as number) / (nodeOf(l)!.p95_ms as number)).toFixed(2)}×` : '–', `${shortFrom(l.from)} (${l.runtime})`])), '');
    }
    const chromiumIndex = lines.filter((l) => l.bench === 'index' && runtimeOf(l) === 'chromium');
    if (chromiumIndex.length) md.push('Build time in Chromium:', '', table(['index', 'chunks', 'build ms', 'from'], chromiumIndex.map((l) => [l.index, l.chunks, l.build_ms, shortFrom(l.from)])), '');
  }
  const idb = lines.filter((l) => l.bench === 'idb-candidate-fetch');
  if (idb.length) {
    md.push('### The rescore\'s read from IndexedDB (Chromium)', '');
    md.push('`npm run bench -- idb-fetch` (bench/idb-candidate-fetch.ts): past 100k chunks the rescore reads its candidates\' int8 rows back with one Dexie `bulkGet`; the Node latency lines above read them from an in-memory stand-in, so this cost comes on top of them in the extension.', '');
    md.push(table(['chunks in the table', 'candidates', 'p50 ms', 'p95 ms', 'from'], idb.map((l) => [l.chunks, l.candidates, l.p50_ms, l.p95_ms, shortFrom(l.from)])), '');
  }
  const keywordLoad = lines.filter((l) => l.bench === 'keyword-load');
  if (coldstart.length || keywordLoad.length) {
    md.push('## Side panel cold start (Chromium)', '');
    if (coldstart.length) {
      md.push('![cold start](benchmarks/coldstart.svg)', '');
      md.push('`npm run bench -- coldstart [--chunks 100000]` (bench/cold-start/): the built extension in headless Chromium with a fresh profile; a memory of N synthetic chunks (the latency corpus: ~64-word chunks, 10 a page, with int8 vectors as the indexing queue stores them) is written into its IndexedDB through the product\'s own write path (pages via the change log). Then `sidepanel.html` is opened, a 2–6-word query entered into `search-input` as soon as it shows (pasted in one input event, `--entry paste`, the default since session 6; earlier runs typed it key by key, which puppeteer takes 0.6–1.1 s to do), and the clock stops when `result-count` answers that query with `result-item`s on screen. `first` is the first open after the memory was written (the panel builds what it needs); `reopen` a new panel after the previous one stayed open and went quiet. `task ms` is the panel\'s main-thread task time until the first results (CDP TaskDuration); `hybrid` when the list by meaning replaced the instant one.', '');
      md.push(table(['open', 'chunks', 'pages', 'search box usable ms', 'ranking index open ms', 'query typed ms', 'first results ms', 'first list', 'hybrid ms', 'task ms', 'from'], coldstart.map((l) => [`${l.open} #${l.run}`, l.chunks, l.pages, l.input_ms, indexOpenMs(l) ?? '–', l.typed_ms ?? '–', l.first_results_ms, l.first_ranking, l.hybrid_ms ?? '–', l.task_ms, shortFrom(l.from)])), '');
      const seeded = coldstart.find((l) => typeof l.seed_ms === 'number');
      if (seeded) md.push(`Writing the memory took ${fmt((seeded.seed_ms as number) / 1000, 1)} s (${fmt(seeded.pages)} pages, ${fmt(seeded.chunks)} chunks).`, '');
    }
    if (keywordLoad.length) md.push('The keyword side alone in Node (`npm run bench -- keyword-load`, bench/keyword-load.ts): building the ranking index vs saving and loading its binary snapshot.', '', genericTable(keywordLoad), '');
  }
  if (sync.length) {
    md.push('## Sync through the local worker', '', '![sync](benchmarks/sync.svg)', '');
    md.push('`npm run bench -- sync [--records 10000]` (bench/sync-throughput.ts): `wrangler dev --local` (local D1 and Durable Objects, started as the e2e suite starts it), two devices paired with a code, each running the extension\'s sync engine (extension/sync: outbox batches of ≤ 500 changes, push, pull, the change log) on fake-indexeddb in Node. Device A writes the records through the change log and syncs (its push, then its pull); device B then syncs and pulls them all. `client CPU ms` is the Node process (both devices\' sync clients); the worker\'s CPU is in workerd, not counted.', '');
    md.push(table(['direction', 'records', 'JSON MB', 'total s', 'records/s', 'client CPU ms', 'syncs', 'from'], sync.map((l) => [l.direction, l.records, (l.json_bytes as number) / 1e6, (l.total_ms as number) / 1000, l.records_per_s, l.client_cpu_ms, l.syncs, shortFrom(l.from)])), '');
  }
  if (embedding.length) {
    md.push('## Embedding: throughput WASM vs native, and the typed query', '');
    if (ratedEmbedding.length) md.push('![embedding throughput](benchmarks/embedding.svg)', '');
    md.push(`\`npm run bench -- embed-throughput\` (chunks/s and CPU ms a chunk of the bundled encoder, native onnxruntime in Node vs onnxruntime-web WASM in a cross-origin isolated Chromium page) and \`npm run bench -- query-path\` (a query from typed text at 100k chunks: the query embedding, the search, and both together with the embedding cached or not). The extension ships \`${SHIPPED_DTYPE}\` weights. \`load_1m\` is the machine's load average during the line: read wall rates beside it.`, '');
    const byBench = new Map<string, Line[]>();
    for (const l of embedding) {
      const name = l.bench === 'embed-throughput' ? 'embed-throughput' : isQueryPath(l) ? 'query-path' : `${l.bench} · ${l.ranker}`;
      byBench.set(name, [...(byBench.get(name) ?? []), l]);
    }
    for (const [name, rows] of byBench) md.push(`### ${name}`, '', genericTable(rows), '');
  }
  const capture = lines.filter((l) => l.bench === 'capture');
  if (capture.length) {
    md.push('## Capture overhead (Chromium)', '');
    md.push('`npm run bench -- capture` (bench/capture-overhead.ts): every reference page in `../shared/reference/web-pages`, served locally, loaded in headless Chromium with the built extension and in one without, interleaved page by page; page load = the navigation\'s `loadEventEnd`.', '');
    md.push(table(['what', 'pages', 'loads', 'p50 ms', 'p95 ms', 'ratio p50', 'ratio p95', 'from'], capture.map((l) => [l.what, l.pages, l.loads, l.p50_ms, l.p95_ms, l.ratio_p50, l.ratio_p95, shortFrom(l.from)])), '');
  }
  const merchant = lines.filter((l) => l.bench === 'merchant' && l.split);
  if (merchant.length) {
    md.push('## Merchant chat: search by meaning (hand-off cut-off)', '');
    md.push('`npm run bench -- merchant` (bench/merchant-search.ts): stores made from the reference product pages (one per site with ≥ 2 products) and the reference Shopify JSON; "do you have …" questions written from each page\'s title, asked of their own store and of every other store, plus made-up questions. Cut-offs fitted on the fit stores; the trigram test double\'s rows use the cut-offs fitted on USE-lite.', '');
    md.push(table(['model', 'cut-off', 'value', 'split', 'stores', 'own found in top 4', 'other stores answered', 'nonsense answered', 'from'], merchant.map((l) => [l.model, l.cutoff, l.margin ?? l.threshold, l.split, l.stores, l.inStoreFoundTop4, l.otherStoreAnswered, l.nonsenseAnswered, shortFrom(l.from)])), '');
  }
  md.push('## Not measured', '');
  const million = sizes.find((n) => n >= 1_000_000);
  const missing = [
    million === undefined ? '1M chunks in Node: opt-in (`npm run bench -- latency --chunks 1000000`, or `--sizes 10000,100000,1000000` for the whole run); on this 2-core shared box building the 100k indexes already takes minutes, so the default run stops at 100k' : '',
    chromiumLatency.length ? '' : 'Chromium latency (`npm run bench -- latency --chromium [--chunks N]`)',
    chromiumSizes.some((n) => n >= 1_000_000) || !chromiumLatency.length ? '' : '1M chunks in Chromium (`npm run bench -- latency --chromium --chunks 1000000`)',
    peerSizes.some((n) => n >= 100_000) ? '' : 'the peers past 10k chunks (`npm run bench -- latency --chunks 100000 --peers`; Orama without vectors there)',
    'the peers at 1M chunks (see Latency: not feasible in this box\'s memory and time beside ours)',
    sizesOf(chromiumLatency.filter(isPeer)).some((n) => n >= 100_000) ? '' : `the peers in Chromium past ${fmt(Math.max(0, ...sizesOf(chromiumLatency.filter(isPeer))))} chunks (\`npm run bench -- latency --chromium --chunks 100000 --peers\`)`,
    interleaved.some((l) => l.chunks as number >= 100_000) ? '' : 'the interleaved peers run past 10k chunks (`npm run bench -- peers --chunks 100000`: the peers\' builds alone took ~19 min at 100k here (MiniSearch 384 s, FlexSearch 231 s, Orama 536 s)); at 100k the peers were timed one engine after the other (latency --peers)',
    coldstart.length ? '' : 'cold start of the side panel (`npm run bench -- coldstart`)',
    ratedEmbedding.length ? '' : 'embedding throughput WASM vs native (`npm run bench -- embed-throughput`)',
    embedding.some((l) => l.ranker === 'typed-query') ? '' : 'typed query end to end in Chromium (`npm run bench -- query-path`)',
    capture.length ? '' : 'capture overhead (`npm run bench -- capture`)',
    sync.length ? '' : 'sync push/pull (`npm run bench -- sync`)',
  ].filter(Boolean);
  md.push(...missing.map((m) => `- ${m}.`), '');
  // What was written by hand stays (see keptSections).
  const page = resolve(docs, 'benchmarks.md');
  const kept = existsSync(page) ? keptSections(readFileSync(page, 'utf8')) : [];
  for (const section of kept) md.push(section, '');
  writeFileSync(page, md.join('\n'));
  written.push('docs/benchmarks.md');
  return written;
}

/** The side panel's own mark for its ranking index being loaded (ms since its navigation), when the
 * cold-start line carries its marks. */
function indexOpenMs(l: Line): number | undefined {
  const marks = l.panel_marks as Record<string, number> | undefined;
  return typeof marks?.['index-open'] === 'number' ? marks['index-open'] : undefined;
}

/** How the bench put the query in (runs before the field typed it key by key). */
function entryOf(rows: Line[]): string {
  const kinds = new Set(rows.map((l) => (l.query_entry === 'paste' ? 'pasting the query' : 'typing the query key by key')));
  return [...kinds].join(' / ');
}

/** What a cold-start time is made of: the bench enters its query once the search box shows (pasted, or
 * typed key by key), so the first results include that entry; the panel's own marks say when it could
 * answer. */
function coldStartParts(rows: Line[]): string {
  const parts = rows.filter((l) => typeof l.typed_ms === 'number' && indexOpenMs(l) !== undefined);
  if (!parts.length) return '';
  const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${fmt(xs[0]! / 1000)}` : `${fmt(Math.min(...xs) / 1000)}–${fmt(Math.max(...xs) / 1000)}`);
  return ` (of which: ranking index open and the panel able to answer at ${range(parts.map((l) => indexOpenMs(l)!))} s; ${entryOf(parts)} ${range(parts.map((l) => (l.typed_ms as number) - (l.input_ms as number)))} s; results ${range(parts.map((l) => (l.first_results_ms as number) - (l.typed_ms as number)))} s after the query was in)`;
}
