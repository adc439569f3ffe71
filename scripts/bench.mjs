#!/usr/bin/env node
// The benchmark. Prints one JSON line per measurement on stdout; progress goes to stderr.
//
//   npm run bench                        latency (100k chunks) + quality on ../shared/reference/ir-eval/cranfield
//                                        and on the hand-made collections in bench/collections
//   npm run bench -- quality --docs F --queries F --qrels F --format smart|trec [--split all|tune|test]
//   npm run bench -- latency [--chunks 100000] [--runs 200] [--warmup 20] [--chromium] [--vectors-only]
//   npm run bench -- changelog [--days 30]  database size after a simulated month of browsing, with and
//                                        without change-log compaction (bench/change-log-growth.ts)
//   npm run bench -- products [--pages DIR] [--split all|fit|held-out]
//                                        product extraction against a manifest.jsonl's ground_truth
//                                        (default DIR ../shared/reference/product-pages; bench/products.ts)
//   npm run bench -- capture [--rounds 2]  page load of the reference pages in Chromium with and without the
//                                        built extension (EXT_DIR, default .output/chrome-mv3; bench/capture-overhead.ts)
//   npm run bench -- sync [--records 10000]  push of N highlights from one device and pull on a second, through
//                                        `wrangler dev --local` with the extension's sync engine (bench/sync-throughput.ts)
//   npm run bench -- coldstart [--chunks 100000] [--reopens 2]
//                                        the side panel of the built extension (EXT_DIR, default .output/chrome-mv3)
//                                        opened on a memory of N chunks seeded into its IndexedDB: a typed query
//                                        until the first results are on screen (bench/cold-start/cold-start.ts)
//   npm run bench -- report [--with F]...  rewrites docs/benchmarks.md from bench/results/latest.json, adding
//                                        the JSON lines of each F (a separate run's output, e.g. capture)
//   npm run bench -- signals [--pages DIR] content signals' spam precision/recall on bench/collections/spam-signals
//                                        (hand-made pages + DIR, default ../shared/reference/web-pages; bench/signals.ts)
//   npm run bench -- keyword-depth      hybrid quality with the keyword list cut to 1000…100 deep, every collection
//   npm run bench -- keyword-load [--chunks 100000]
//                                        cold start of the keyword side: build vs snapshot save/load (bench/keyword-load.ts)
//   npm run bench -- tune [collection flags] [--with DIR]... [--check DIR]...
//                                        fit the hybrid on the tune half (+ each --with collection), report
//                                        the test half and each --check collection (DIR: a TREC folder
//                                        with docs.trec, topics.trec, qrels.trec, or SMART with docs.all,
//                                        queries.qry, qrels)
//   npm run bench -- peers [--chunks 10000] [--runs 200]
//                                        ours (keyword, vector, hybrid) vs MiniSearch, FlexSearch, Orama with the
//                                        queries interleaved engine by engine (bench/peers-interleaved.ts)
//   npm run bench -- vectors [--sizes 10000,100000] [--runs 200]
//                                        recall@10 of the binary-code scan + int8 rescore against exact search
//                                        on the ir-eval collections' embeddings and random unit vectors (bench/vector-recall.ts)
//   npm run bench -- vector-memory [--chunks 100000]
//                                        memory of the vector index with product-shaped chunks (ids, url, title …) (bench/vector-memory.ts)
//   npm run bench -- idb-fetch [--chunks 100000] [--runs 200]
//                                        the rescore's read in headless Chromium: 100 and 400 chunk rows by id from
//                                        IndexedDB with Dexie bulkGet (bench/idb-candidate-fetch.ts)
//   npm run bench -- embed-throughput [--texts 128] [--batches 1,4,8,16,32] [--dtypes fp16,fp32] [--threads 1,2] [--no-node]
//                                        indexing throughput of the bundled embedder: chunks/s in Node (native) and
//                                        in headless Chromium (WASM, cross-origin isolated page, per thread count)
//                                        on Cranfield chunks (bench/embed-throughput.ts)
//   npm run bench -- query-path [--chunks 100000] [--runs 200] [--warmup 20] [--threads 1,2] [--dtypes fp16,fp32] [--no-node] [--embedder page,worker]
//                                        a query from typed text: query embedding (cached / not) + hybrid
//                                        search, in Node and headless Chromium (bench/query-path.ts)
//   npm run bench -- grounding [--pages DIR] [--embed]
//                                        the serving pipeline (shared/serving) on the hand-written questions of
//                                        bench/grounding over ../shared/reference/web-pages: citation precision,
//                                        the verifier's catch and false-flag rates, per-stage latency (bench/grounding.ts)
//   npm run bench -- merchant [--pages DIR]
//                                        the Shopify merchant chat's search by meaning: its per-store cut-off
//                                        on stores made from DIR's product pages + Shopify JSON, USE-lite
//                                        embeddings, fitted on fit stores, reported held out (bench/merchant-search.ts)
//
// The product's TypeScript modules are loaded with jiti (no build step); embeddings of collection text
// are cached in bench/.cache keyed by model and text hash, so only the first run embeds.
import { createJiti } from 'jiti';
import { existsSync, readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
// The latency run reports how much memory each index holds: that needs a full collection before and
// after building it.
setFlagsFromString('--expose-gc');
globalThis.gc ??= runInNewContext('gc');
const jiti = createJiti(import.meta.url, {
  alias: { '@wasm': resolve(root, 'wasm'), '@shared': resolve(root, 'shared'), '@/': `${resolve(root, 'extension')}/` },
});
const load = (p) => jiti.import(resolve(root, p));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    docs: { type: 'string' },
    queries: { type: 'string' },
    qrels: { type: 'string' },
    format: { type: 'string', default: 'smart' },
    split: { type: 'string' },
    chunks: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    models: { type: 'string', default: resolve(root, 'wasm/models') },
    chromium: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '10000,100000' },
    'peer-max': { type: 'string', default: '10000' },
    with: { type: 'string', multiple: true, default: [] },
    check: { type: 'string', multiple: true, default: [] },
    days: { type: 'string', default: '30' },
    pages: { type: 'string' },
    embed: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
    'vectors-only': { type: 'boolean', default: false },
    'keyword-only': { type: 'boolean', default: false },
    texts: { type: 'string', default: '128' },
    batches: { type: 'string', default: '1,4,8,16,32' },
    dtypes: { type: 'string', default: 'fp16,fp32' },
    threads: { type: 'string', default: '1,2' },
    'no-node': { type: 'boolean', default: false },
    records: { type: 'string', default: '10000' },
    reopens: { type: 'string', default: '2' },
    settle: { type: 'string', default: '30' },
    'fresh-offscreen': { type: 'boolean', default: false },
    // coldstart: how the query goes in — 'paste' (one input event) or 'keystrokes' (typed key by key).
    entry: { type: 'string', default: 'paste' },
    // query-path: where the embedder runs in Chromium — 'page' (the page's own thread), 'worker' (the
    // product's dedicated worker, extension/ai/embedder-worker.ts), or both.
    embedder: { type: 'string', default: 'page,worker' },
    // embed-throughput: onnxruntime-web builds to measure — 'asyncify' (what transformers.js' WebGPU
    // import loads, shipped) and/or 'plain' (its wasm-only build).
    ort: { type: 'string', default: 'asyncify' },
  },
});

const log = (s) => process.stderr.write(`[bench] ${s}\n`);
let print = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const cranfield = resolve(root, '../shared/reference/ir-eval/cranfield');
function collectionArgs() {
  if (values.docs || values.queries || values.qrels) {
    for (const k of ['docs', 'queries', 'qrels']) if (!values[k]) throw new Error(`--${k} is required with a collection`);
    if (!['smart', 'trec'].includes(values.format)) throw new Error('--format is smart or trec');
    return { docs: values.docs, queries: values.queries, qrels: values.qrels, format: values.format };
  }
  if (!existsSync(cranfield)) throw new Error(`no collection given and ${cranfield} is missing`);
  return { docs: `${cranfield}/cran.all.1400`, queries: `${cranfield}/cran.qry`, qrels: `${cranfield}/cranqrel`, format: 'smart' };
}

async function quality(splits, args = collectionArgs(), given, peers = false) {
  const q = await load('bench/quality.ts');
  // Lines name their collection (the folder holding its documents when none is given), so runs of
  // different collections never stand for one another on the page.
  const name = given ?? basename(dirname(resolve(args.docs)));
  const { collection, rankings } = await q.loadAndRank({ ...args, modelsDir: values.models, log });
  for (const line of q.qualityLines(collection, rankings, splits)) print({ bench: 'quality', ...(name ? { collection: name } : {}), ...line });
  if (peers) for (const line of await q.peerQualityLines(collection)) print({ bench: 'quality', ...(name ? { collection: name } : {}), ...line });
}

/** A collection folder: TREC (docs.trec, topics.trec, qrels.trec) or SMART (docs.all, queries.qry, qrels). */
function collectionInDir(dir) {
  const d = resolve(dir);
  if (existsSync(`${d}/docs.trec`)) return { docs: `${d}/docs.trec`, queries: `${d}/topics.trec`, qrels: `${d}/qrels.trec`, format: 'trec' };
  if (existsSync(`${d}/docs.all`)) return { docs: `${d}/docs.all`, queries: `${d}/queries.qry`, qrels: `${d}/qrels`, format: 'smart' };
  throw new Error(`${dir} holds neither docs.trec/topics.trec/qrels.trec nor docs.all/queries.qry/qrels`);
}

// The hand-made collections (their READMEs say which are fit sets of `tune` and which is held out).
async function handMadeQuality() {
  const dir = resolve(root, 'bench/collections');
  for (const name of readdirSync(dir).sort()) await quality(['all'], collectionInDir(`${dir}/${name}`), name, true);
}

async function latency(chunks = Number(values.chunks), peers = values.peers) {
  const options = { chunks, queries: Number(values.runs), warmup: Number(values.warmup), dims: 512, peers, vectorsOnly: values['vectors-only'], keywordOnly: values['keyword-only'] };
  if (values.chromium) return latencyInChromium(options);
  const l = await load('bench/latency.ts');
  for (const line of await l.runLatency({ ...options, log })) print(line);
  if (values['vectors-only'] || values['keyword-only']) return;
  const e = await load('bench/embed-latency.ts');
  print(await e.embedLatency(values.models, Number(values.runs), Number(values.warmup)));
}

// The same latency run inside headless Chromium (the real target): the bench is bundled with esbuild
// and evaluated in a blank page, so the WASM kernel runs in V8's browser configuration.
async function latencyInChromium(options) {
  const { build } = await import('esbuild');
  const puppeteer = (await import('puppeteer-core')).default;
  const bundle = await build({
    entryPoints: [resolve(root, 'bench/latency-browser.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    alias: { '@wasm': resolve(root, 'wasm') },
  });
  // One evaluate runs the whole measurement (minutes at 100k, more at 1M): no DevTools call limit, and
  // room for the 1M indexes in the page's heap.
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, protocolTimeout: 3_600_000, args: ['--no-sandbox', '--js-flags=--max-old-space-size=8192'] });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => log(`chromium: ${m.text()}`));
    await page.evaluate(bundle.outputFiles[0].text);
    page.setDefaultTimeout(0);
    const lines = await page.evaluate((o) => globalThis.runLatency({ ...o, log: (s) => console.log(s) }), options);
    for (const line of lines) print(line);
  } finally {
    await browser.close();
  }
}

async function capture() {
  const c = await load('bench/capture-overhead.ts');
  for (const line of await c.runCaptureOverhead({ rounds: Number(values.rounds), log })) print(line);
}

async function syncThroughput() {
  const s = await load('bench/sync-throughput.ts');
  for (const line of await s.runSyncThroughput({ records: Number(values.records), log })) print(line);
}

async function coldStart() {
  const { BUNDLED_MODEL } = await load('extension/ai/embedder.ts');
  const c = await load('bench/cold-start/cold-start.ts');
  const options = { root, chunks: Number(values.chunks), model: BUNDLED_MODEL.id, dims: BUNDLED_MODEL.dims, reopens: Number(values.reopens), settleS: Number(values.settle), freshOffscreen: values['fresh-offscreen'], entry: values.entry, log };
  for (const line of await c.runColdStart(options)) print(line);
}

async function changeLog() {
  const g = await load('bench/change-log-growth.ts');
  for (const line of await g.runChangeLogGrowth({ days: Number(values.days), log })) print(line);
}
// The reference collections `npm run bench` measures (../shared/reference/ir-eval).
const irEval = resolve(root, '../shared/reference/ir-eval');
const REFERENCE = {
  cranfield: { docs: `${irEval}/cranfield/cran.all.1400`, queries: `${irEval}/cranfield/cran.qry`, qrels: `${irEval}/cranfield/cranqrel`, format: 'smart' },
  med: { docs: `${irEval}/med/MED.ALL`, queries: `${irEval}/med/MED.QRY`, qrels: `${irEval}/med/MED.REL.OLD`, format: 'smart' },
  cacm: { docs: `${irEval}/cacm/cacm.all`, queries: `${irEval}/cacm/query.text`, qrels: `${irEval}/cacm/qrels.text`, format: 'smart' },
};

async function tune() {
  const q = await load('bench/quality.ts');
  const t = await load('bench/tune.ts');
  if (!values.docs && values.with.length === 0 && values.check.length === 0) return tuneDefault(q, t);
  const primary = await q.loadAndRank({ ...collectionArgs(), modelsDir: values.models, log });
  const set = (name, r, split) => ({ name, ...r, qids: q.splitQueries(r.collection, split) });
  const inDir = async (dir) => set(dir, await q.loadAndRank({ ...collectionInDir(dir), modelsDir: values.models, log }), 'all');
  const fit = [set('primary:tune', primary, 'tune'), ...(await Promise.all(values.with.map(inDir)))];
  const heldOut = [set('primary:test', primary, 'test'), ...(await Promise.all(values.check.map(inDir)))];
  const result = t.tune(fit, heldOut);
  for (const x of result.top) log(`${JSON.stringify(x.options.fusion)} worst margin ${x.margin.toFixed(4)} mean ${x.mean.toFixed(4)}`);
  print({ bench: 'tune', options: result.best, fit: result.fit, heldOut: result.heldOut });
}

// Fit on the even query positions of Cranfield, MED and CACM and on two hand-made sets; report the
// odd positions and the blind hand-made set.
async function tuneDefault(q, t) {
  const rank = async (args) => q.loadAndRank({ ...args, modelsDir: values.models, log });
  const fit = [];
  const heldOut = [];
  for (const [name, args] of Object.entries(REFERENCE)) {
    const r = await rank(args);
    fit.push({ name: `${name}:even`, ...r, qids: q.splitQueries(r.collection, 'tune') });
    heldOut.push({ name: `${name}:odd`, ...r, qids: q.splitQueries(r.collection, 'test') });
  }
  for (const name of ['reading-notes', 'saved-pages']) {
    const r = await rank(collectionInDir(resolve(root, 'bench/collections', name)));
    fit.push({ name, ...r, qids: q.splitQueries(r.collection, 'all') });
  }
  const mixed = await rank(collectionInDir(resolve(root, 'bench/collections/mixed-memory')));
  heldOut.push({ name: 'mixed-memory', ...mixed, qids: q.splitQueries(mixed.collection, 'all') });
  const result = t.tune(fit, heldOut);
  for (const x of result.top) log(`${JSON.stringify(x.options.fusion)} worst margin ${x.margin.toFixed(4)} mean ${x.mean.toFixed(4)}`);
  print({ bench: 'tune', options: result.best, fit: result.fit, heldOut: result.heldOut });
}

async function products() {
  const p = await load('bench/products.ts');
  const dir = resolve(values.pages ?? resolve(root, '../shared/reference/product-pages'));
  const split = values.split ?? 'all';
  if (!['all', 'fit', 'held-out'].includes(split)) throw new Error('--split is all, fit or held-out');
  log(`products: extracting every page of ${dir} (split ${split})`);
  const pages = p.runPages(dir, split);
  for (const line of p.productLines(pages, split === 'all' ? {} : { split })) print(line);
  // Grouping across stores: the name-similarity thresholds fitted on the fit split, reported held out.
  if (split === 'all') {
    const g = await load('bench/product-grouping.ts');
    const grouping = await load('extension/shopping/memory/product-grouping.ts');
    for (const line of await g.groupingLines(dir, pages, values.models, { jaccard: grouping.NAME_SIMILARITY })) print(line);
    for (const line of g.groupingDecisionLines(dir, pages, grouping.sameProduct)) print(line);
  }
}

async function grounding() {
  const g = await load('bench/grounding.ts');
  const pages = resolve(values.pages ?? resolve(root, '../shared/reference/web-pages'));
  log(`grounding: questions in bench/grounding, pages in ${pages}`);
  const started = new Date().toISOString();
  const lines = await g.groundingLines(resolve(root, 'bench/grounding'), pages, log, [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]);
  if (values.embed) {
    // The verifier with the product's embedder (USE-lite from --models), cached like the quality runs.
    const { Embedder } = await load('extension/ai/embedder.ts');
    const { EmbeddingCache } = await load('bench/embed-cache.ts');
    const cache = new EmbeddingCache(await Embedder.load({ localModelPath: values.models }));
    lines.push(...(await g.groundingLines(resolve(root, 'bench/grounding'), pages, log, [], (texts) => cache.embed(texts))));
  }
  for (const line of lines) print(line);
  // Kept apart from latest.json (the full run's): docs/benchmarks.md quotes these lines.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(resolve(root, 'bench/results/grounding.json'), `${JSON.stringify({ started, finished: new Date().toISOString(), lines }, null, 1)}\n`);
}

async function merchant() {
  const p = await load('bench/products.ts');
  const m = await load('bench/merchant-search.ts');
  const dir = resolve(values.pages ?? resolve(root, '../shared/reference/product-pages'));
  const stores = m.storesOf(dir, p.runPages(dir, 'all'));
  log(`merchant: ${stores.length} stores from ${dir}`);
  const { Embedder } = await load('extension/ai/embedder.ts');
  const { EmbeddingCache } = await load('bench/embed-cache.ts');
  const embedder = await Embedder.load({ localModelPath: values.models });
  const cache = new EmbeddingCache(embedder);
  const lines = await m.merchantLines(stores, (texts, purpose) => cache.embed(texts, purpose), 'use-lite');
  await embedder.dispose();
  // The same cut-offs, fitted on USE-lite, on a second kind of vector (the worker tests' trigram test
  // double): a margin over the store's own floor carries over, one raw cosine need not.
  const { testDoubleVector } = await load('worker/test/embeddings-test-double.ts');
  const fitted = lines.filter((l) => l.split === 'fit');
  const margin = fitted.find((l) => l.cutoff === 'calibrated').margin;
  const raw = fitted.find((l) => l.cutoff === 'raw-cosine').threshold;
  lines.push(...(await m.merchantLines(stores, async (texts) => texts.map((t) => Float32Array.from(testDoubleVector(t))), 'trigram-test-double', { margin, raw })));
  for (const line of lines) print(line);
}

async function signals() {
  const b = await load('bench/signals.ts');
  const reference = resolve(values.pages ?? resolve(root, '../shared/reference/web-pages'));
  log(`signals: spam detection on bench/collections/spam-signals (reference pages from ${reference})`);
  const pages = b.scorePages(root, reference);
  for (const split of ['fit', 'held-out', 'all']) print({ bench: 'signals', split, ...b.precisionRecall(split === 'all' ? pages : pages.filter((p) => p.split === split)) });
}

// Recall@10 of the two-pass vector search (binary codes + int8 rescore) against exact search, on the
// ir-eval collections' real embeddings and on random unit vectors at --sizes (bench/vector-recall.ts).
async function vectorRecall() {
  const r = await load('bench/vector-recall.ts');
  const d = await load('bench/vector-recall-data.ts');
  const sets = await d.embedCollections(REFERENCE, values.models, log);
  const chunks = sets.flatMap((s) => s.chunks);
  const real = { name: `ir-eval (${sets.map((s) => s.name).join(' + ')})`, dims: sets[0].dims, size: chunks.length, vector: (i) => chunks[i], queries: sets.flatMap((s) => s.queries), truth: 'float' };
  for (const line of r.recallStudy(real, r.REAL_VARIANTS, log)) print(line);
  for (const n of values.sizes.split(',').map(Number)) for (const line of r.recallStudy(r.randomSet(n, Number(values.runs)), r.RANDOM_VARIANTS, log)) print(line);
}

// The rescore's read in the browser: ~400 chunk rows by id from IndexedDB (Dexie bulkGet) in headless
// Chromium, from a table of --chunks rows (bench/idb-candidate-fetch.ts).
async function idbFetch() {
  const { build } = await import('esbuild');
  const puppeteer = (await import('puppeteer-core')).default;
  const { createServer } = await import('node:http');
  const bundle = await build({ entryPoints: [resolve(root, 'bench/idb-candidate-fetch.ts')], bundle: true, format: 'iife', write: false });
  const js = bundle.outputFiles[0].text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/bench.js"></script>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const runtime = await browser.version();
    for (const candidates of [100, 400]) {
      const rows = Number(values.chunks);
      log(`IndexedDB: ${candidates} candidates of ${rows} rows`);
      const r = await page.evaluate((o) => window.idbCandidateFetch(o), { rows, candidates, runs: Number(values.runs), dims: 512 });
      print({ bench: 'idb-candidate-fetch', chunks: rows, candidates, ...r, runs: Number(values.runs), runtime });
    }
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * The models folder for runs that want fp32 weights: the extension ships only model_fp16.onnx, so
 * without --models holding both, ../shared/models/use-lite-onnx (the converted model, both formats) is
 * linked in as bench/.cache/models/use-lite.
 */
async function modelsFor(dtypes) {
  const { mkdirSync, symlinkSync } = await import('node:fs');
  if (!dtypes.includes('fp32') || existsSync(resolve(values.models, 'use-lite/onnx/model.onnx'))) return values.models;
  const full = resolve(root, '../shared/models/use-lite-onnx');
  if (!existsSync(resolve(full, 'onnx/model.onnx'))) throw new Error(`fp32 asked for, but neither ${values.models} nor ${full} holds use-lite/onnx/model.onnx`);
  const dir = resolve(root, 'bench/.cache/models');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(resolve(dir, 'use-lite'))) symlinkSync(full, resolve(dir, 'use-lite'));
  return dir;
}

// Chunks/s of the bundled embedder, native in Node and WASM in headless Chromium (the offscreen
// document's runtime). The page is served from loopback with COOP/COEP, as the extension's manifest
// isolates its own pages, so onnxruntime-web may start threads.

/**
 * A headless Chromium with a loopback server for one bundled bench entry: the page is served with
 * COOP/COEP (cross-origin isolated, as the extension's manifest makes its own pages), next to the bundled
 * model (/models/) and onnxruntime-web's files (/ort/).
 */
/** transformers.js' WebGPU import of onnxruntime-web swapped for its wasm-only entry (embed-throughput --ort plain). */
const PLAIN_ORT = { 'onnxruntime-web/webgpu': 'onnxruntime-web/wasm' };

async function isolatedBench(entry, extraAlias = {}) {
  const { build } = await import('esbuild');
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const puppeteer = (await import('puppeteer-core')).default;
  const bundle = await build({ entryPoints: [resolve(root, entry)], bundle: true, format: 'esm', platform: 'browser', write: false, alias: { '@wasm': resolve(root, 'wasm'), '@shared': resolve(root, 'shared'), '@': resolve(root, 'extension'), ...extraAlias } });
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
  // The embedder's dedicated worker, bundled on first request (query-path --embedder worker).
  let workerBundle;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    try {
      let body;
      if (path === '/') body = '<!doctype html><title>bench</title><link rel="icon" href="data:,">';
      else if (path === '/bench.js') body = bundle.outputFiles[0].text;
      else if (path === '/embedder-worker.js') body = (workerBundle ??= (await build({ entryPoints: [resolve(root, 'extension/ai/embedder-worker.ts')], bundle: true, format: 'esm', platform: 'browser', write: false, alias: { '@wasm': resolve(root, 'wasm'), '@shared': resolve(root, 'shared'), '@': resolve(root, 'extension'), ...extraAlias } })).outputFiles[0].text);
      else if (path.startsWith('/models/') && !path.includes('..')) body = await readFile(resolve(values.models, path.slice(8)));
      else if (path.startsWith('/ort/') && !path.includes('..')) body = await readFile(resolve(root, 'node_modules/onnxruntime-web/dist', path.slice(5)));
      else throw new Error('not found');
      res.setHeader('Content-Type', path === '/' ? 'text/html' : (types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream'));
      res.end(body);
    } catch {
      log(`404 ${path}`);
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  // A whole query-path row at 100k is one page.evaluate: minutes on a loaded box, past puppeteer's default 180 s.
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'], protocolTimeout: 3_600_000 });
  return {
    browser,
    // A path, not an http URL: transformers.js looks for a local tokenizer only at non-http paths.
    embedder: { localModelPath: '/models/', wasmPaths: `${base}/ort/` },
    async page(ready) {
      const page = await browser.newPage();
      page.on('console', (m) => log(`chromium: ${m.text()}`));
      page.setDefaultTimeout(0);
      await page.goto(`${base}/`);
      await page.addScriptTag({ url: `${base}/bench.js`, type: 'module' });
      await page.waitForFunction(ready);
      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** CPU seconds of all renderer processes (the page and its onnxruntime pthread workers). */
async function rendererCpuSeconds(browser) {
  const session = await browser.target().createCDPSession();
  try {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
  } finally {
    await session.detach();
  }
}

// Chunks/s of the bundled embedder, native in Node and WASM in headless Chromium (the offscreen
// document's runtime), per weight format, batch size and thread count.
async function embedThroughput() {
  const t = await load('bench/embed-throughput.ts');
  const { loadavg } = await import('node:os');
  values.models = await modelsFor(values.dtypes.split(','));
  const texts = t.throughputTexts(`${cranfield}/cran.all.1400`, Number(values.texts));
  const configs = values.dtypes.split(',').flatMap((dtype) => values.batches.split(',').map((b) => ({ dtype, batch: Number(b) })));
  log(`embed-throughput: ${texts.length} Cranfield chunks, ${configs.length} configurations`);
  if (!values['no-node']) for (const line of await t.nodeThroughput(values.models, texts, configs, log)) print(line);
  for (const ort of values.ort.split(',')) {
  // 'plain': transformers.js' import of onnxruntime-web's WebGPU entry (asyncify build) swapped for its wasm-only one.
  const bench = await isolatedBench('bench/embed-throughput-browser.ts', ort === 'plain' ? PLAIN_ORT : {});
  try {
    for (const threads of values.threads.split(',').map(Number)) {
      const page = await bench.page(() => typeof globalThis.measure === 'function');
      const o = { texts, threads, ort, modelsUrl: bench.embedder.localModelPath, wasmUrl: bench.embedder.wasmPaths };
      for (const config of configs) {
        await page.evaluate((x) => globalThis.loadEmbedder(x), { ...o, config });
        const cpu0 = await rendererCpuSeconds(bench.browser);
        const line = await page.evaluate((x) => globalThis.measure(x), o);
        const cpu = (await rendererCpuSeconds(bench.browser)) - cpu0;
        log(`chromium ${ort} ${line.dtype} batch ${line.batch} threads ${threads}: ${line.chunks_per_s} chunks/s`);
        print({ ...line, cpu_ms_per_chunk: Math.round(((cpu * 1000) / texts.length) * 100) / 100, load_1m: Math.round(loadavg()[0] * 100) / 100 });
      }
      await page.close();
    }
  } finally {
    await bench.close();
  }
  }
}

// A query from typed text at --chunks: embedding + hybrid search, in Node and in headless Chromium.
async function queryPath() {
  const { loadavg } = await import('node:os');
  values.models = await modelsFor(values.dtypes.split(','));
  const options = { chunks: Number(values.chunks), queries: Number(values.runs), warmup: Number(values.warmup) };
  const stamp = (line) => ({ ...line, load_1m: Math.round(loadavg()[0] * 100) / 100 });
  if (!values['no-node']) {
    const q = await load('bench/query-path.ts');
    const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
    for (const dtype of values.dtypes.split(','))
      for (const line of await q.runQueryPath({ ...options, dtype, embedder: { localModelPath: values.models }, log, cpuSeconds })) print(stamp(line));
  }
  const bench = await isolatedBench('bench/query-path-browser.ts');
  try {
    for (const where of values.embedder.split(','))
    for (const threads of values.threads.split(',').map(Number))
    for (const dtype of values.dtypes.split(',')) {
      const page = await bench.page(() => typeof globalThis.runQueryPath === 'function');
      await page.exposeFunction('rendererCpuSeconds', () => rendererCpuSeconds(bench.browser));
      const lines = await page.evaluate((o) => globalThis.runQueryPath({ ...o, log: (s) => console.log(s), cpuSeconds: () => globalThis.rendererCpuSeconds() }), { ...options, dtype, inWorker: where === 'worker', embedder: { ...bench.embedder, numThreads: threads, device: 'wasm' } });
      for (const line of lines) print(stamp(line));
      await page.close();
    }
  } finally {
    await bench.close();
  }
}

const command = positionals[0] ?? 'all';
try {
  if (command === 'quality') await quality([values.split ?? 'all']);
  else if (command === 'latency') await latency();
  else if (command === 'tune') await tune();
  else if (command === 'changelog') await changeLog();
  else if (command === 'products') await products();
  else if (command === 'grounding') await grounding();
  else if (command === 'capture') await capture();
  else if (command === 'signals') await signals();
  else if (command === 'merchant') await merchant();
  else if (command === 'keyword-depth') {
    const d = await load('bench/keyword-depth.ts');
    // The ranking collections among the hand-made ones (spam-signals is a labelled page set, not one).
    const handMade = readdirSync(resolve(root, 'bench/collections')).filter((n) => ['docs.trec', 'docs.all'].some((f) => existsSync(resolve(root, 'bench/collections', n, f))));
    const all = { ...REFERENCE, ...Object.fromEntries(handMade.map((n) => [n, collectionInDir(resolve(root, 'bench/collections', n))])) };
    for (const [name, args] of Object.entries(all)) for (const line of await d.keywordDepthLines(name, { ...args, modelsDir: values.models, log })) print(line);
  } else if (command === 'keyword-load') for (const line of (await load('bench/keyword-load.ts')).runKeywordLoad(Number(values.chunks), log)) print(line);
  else if (command === 'peers') for (const line of await (await load('bench/peers-interleaved.ts')).runInterleaved({ chunks: Number(values.chunks), queries: Number(values.runs), warmup: Number(values.warmup), log })) print(line);
  else if (command === 'vectors') await vectorRecall();
  else if (command === 'idb-fetch') await idbFetch();
  else if (command === 'vector-memory') print((await load('bench/vector-memory.ts')).vectorMemory(Number(values.chunks)));
  else if (command === 'embed-throughput') await embedThroughput();
  else if (command === 'query-path') await queryPath();
  else if (command === 'sync') await syncThroughput();
  else if (command === 'coldstart') await coldStart();
  else if (command === 'report') {
    // Rewrites docs/benchmarks.md and its charts from latest.json plus the lines of each --with file
    // (separate runs, oldest first): a later line of the same measurement replaces an earlier one.
    const { readFileSync } = await import('node:fs');
    const last = JSON.parse(readFileSync(resolve(root, 'bench/results/latest.json'), 'utf8'));
    const r = await load('bench/report.ts');
    const base = { file: `run ${last.started}`, lines: [...(last.superseded ?? []), ...last.lines] };
    const { lines, superseded } = r.mergeRuns([base, ...values.with.map((f) => ({ file: f, lines: r.parseJsonl(readFileSync(resolve(f), 'utf8')) }))]);
    const merged = [...new Set([...(last.merged ?? []), ...values.with])];
    log(`wrote ${(await r.writeReport(lines, { root, started: last.started, finished: last.finished, merged, superseded, full: false })).join(', ')}`);
  } else if (command === 'all') {
    // One run, every measurement: printed as JSON lines, then written to bench/results/ and
    // docs/benchmarks.md with its charts (bench/report.ts).
    const lines = [];
    const printOriginal = print;
    print = (o) => {
      lines.push(o);
      printOriginal(o);
    };
    const started = new Date().toISOString();
    // The peers build slowly (minutes at 100k on a shared 2-core box): only up to --peer-max chunks.
    for (const n of values.sizes.split(',').map(Number)) await latency(n, n <= Number(values['peer-max']));
    // Ours against the peers with the queries interleaved, at the largest size the peers are run at.
    for (const line of await (await load('bench/peers-interleaved.ts')).runInterleaved({ chunks: Number(values['peer-max']), queries: Number(values.runs), warmup: Number(values.warmup), log })) print(line);
    for (const [name, args] of Object.entries(REFERENCE)) await quality(['all', 'test'], args, name, true);
    await handMadeQuality();
    await changeLog();
    const r = await load('bench/report.ts');
    const written = await r.writeReport(r.mergeRuns([{ file: `run ${started}`, lines }]).lines, { root, started, finished: new Date().toISOString() });
    log(`wrote ${written.join(', ')}`);
  } else throw new Error(`unknown command ${command} (quality | latency | tune | changelog | products | capture | report)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
