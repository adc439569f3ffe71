import { stemmer } from 'stemmer';

/**
 * The keyword analyser: how text becomes index terms, the same at index and query time.
 *
 * Lower-case, drop English stop words, Porter-stem. Stemming is what lets "heated" find "heating" and
 * "aircraft wings" find "wing": on the classic collections it lifted BM25 nDCG@10 by several points,
 * and it matters more for fusion than for keyword search alone (a keyword list that misses morphological
 * variants leaves the vector side to carry results it ranks worse). Stop words go because they make
 * AND-queries fail and add nothing to BM25.
 *
 * Changing anything here changes index terms, so a persisted index must be rebuilt (bump its
 * INDEX_VERSION).
 */

export const ANALYZER_VERSION = 1;

// A short list: the function words of English queries, not a domain list.
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also may might must shall upon within without whether'
  ).split(' '),
);

/** A word: letters and digits, with apostrophes inside (Unicode-aware); anything else separates words.
 * Global: use with `matchAll` (which copies it) or `match`, never `exec` on the shared instance. */
export const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function isStopWord(term: string): boolean {
  return STOP_WORDS.has(term);
}

// Word frequencies are Zipfian, so a small memo answers most tokens without re-running the stemmer
// (its regexes cost ~1.5 µs a word: seconds when a 100k-chunk index is rebuilt).
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 100_000;

/** One token → its index term, or null to drop it. */
export function analyzeTerm(token: string): string | null {
  let term = memo.get(token);
  if (term === undefined) {
    term = analyzeUncached(token);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(token, term);
  }
  return term;
}

function analyzeUncached(token: string): string | null {
  const t = token.toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, '');
  if (!t || STOP_WORDS.has(t)) return null;
  // Numbers and short tokens stem to themselves; don't let the stemmer mangle codes like "x15".
  if (t.length <= 2 || /\d/.test(t)) return t;
  return stemmer(t);
}

/** All index terms of a text, in order (the ranking index, snippets, tests). */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const term = analyzeTerm(token);
    if (term) out.push(term);
  }
  return out;
}
