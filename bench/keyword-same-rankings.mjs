// Whether the ranking index answers exactly as it did at an earlier commit: every query of Cranfield, MED and
// CACM (../shared/reference/ir-eval) through searchWithFeedback as the hybrid asks for it (KEYWORD_DEPTH deep,
// KEYWORD_FEEDBACK) and through the instant list (typeahead of the query cut inside its last word), compared as
// JSON (ids, float scores, match counts, terms, maxScore, first pass). One JSON line per collection.
//   node bench/keyword-same-rankings.mjs <base-commit>
// The base's bm25-index.ts and analyzer.ts are read with `git show` into bench/.cache (git-ignored).
import { createJiti } from 'jiti';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const base = process.argv[2];
if (!base) throw new Error('usage: node bench/keyword-same-rankings.mjs <base-commit>');
const dir = resolve(root, `bench/.cache/same-rankings-${base}`);
mkdirSync(dir, { recursive: true });
for (const f of ['bm25-index.ts', 'analyzer.ts', 'id-table.ts']) {
  try {
    writeFileSync(`${dir}/${f}`, execFileSync('git', ['show', `${base}:extension/search/${f}`], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    if (f !== 'id-table.ts') throw new Error(`${base} has no extension/search/${f}`);
  }
}
const jiti = createJiti(import.meta.url, { alias: { '@wasm': resolve(root, 'wasm'), '@shared': resolve(root, 'shared'), '@/': `${resolve(root, 'extension')}/` } });
const load = (p) => jiti.import(resolve(root, p));
const now = await load('extension/search/bm25-index.ts');
const then = await jiti.import(`${dir}/bm25-index.ts`);
const { KEYWORD_DEPTH, KEYWORD_FEEDBACK } = await load('extension/search/hybrid.ts');
const { parseSmartDocs, parseSmartQueries } = await load('bench/collection.ts');
const ref = resolve(root, '../shared/reference/ir-eval');
const sets = { cranfield: ['cranfield/cran.all.1400', 'cranfield/cran.qry'], med: ['med/MED.ALL', 'med/MED.QRY'], cacm: ['cacm/cacm.all', 'cacm/query.text'] };
let differ = 0;
for (const [name, [docsFile, queriesFile]] of Object.entries(sets)) {
  const docs = parseSmartDocs(readFileSync(`${ref}/${docsFile}`, 'utf8'));
  const queries = parseSmartQueries(readFileSync(`${ref}/${queriesFile}`, 'utf8'));
  const a = new now.Bm25Index(now.RANKING_INDEX_OPTIONS);
  const b = new then.Bm25Index(then.RANKING_INDEX_OPTIONS);
  for (const d of docs) for (const index of [a, b]) index.add(`doc:${d.id}`, { title: d.title, text: d.text });
  a.pack();
  b.pack();
  let same = 0;
  for (const q of queries) {
    const typed = q.text.slice(0, -2);
    const answer = (index) => JSON.stringify([index.searchWithFeedback(q.text, KEYWORD_DEPTH, KEYWORD_FEEDBACK), index.typeahead(typed, 100)]);
    if (answer(a) === answer(b)) same++;
  }
  differ += queries.length - same;
  process.stdout.write(`${JSON.stringify({ bench: 'keyword-same-rankings', base, collection: name, docs: docs.length, queries: queries.length, identical: same, different: queries.length - same })}\n`);
}
process.exitCode = differ ? 1 : 0;
