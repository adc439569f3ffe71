import search from 'approx-string-match';
import { collapseWhitespace, squash } from './whitespace';

/**
 * Finding a quote in a page's text when it may have changed since the quote was taken.
 *
 * 1. Exact occurrences of the quote. A common phrase can occur many times, so each is scored by how
 *    well its surroundings match the stored prefix/suffix and how close it is to where it used to be.
 * 2. Otherwise, the same on whitespace-collapsed text (re-indented or re-wrapped HTML).
 * 3. Otherwise, approximate matches (Myers' bit-parallel edit-distance search from
 *    `approx-string-match`) with an error budget proportional to the quote's length — one edited word
 *    in a sentence is fine, a different sentence is not. The library returns only the matches with the
 *    fewest errors; context and position then pick between those.
 *
 * Trade-offs: the budget (a quarter of the quote, at most 256 edits) is stricter than Hypothesis's
 * half — a highlight shown on the wrong text is worse than one listed as an orphan the user can still
 * read in the side panel. A fuzzy match near the edge of the budget must also have its context agree
 * (MIN_FUZZY_SCORE). Very short quotes (under MIN_FUZZY_LENGTH) only match exactly: a 3-letter word
 * with one error matches almost anywhere.
 */

export interface QuoteContext {
  prefix?: string;
  suffix?: string;
  /** Where the quote is expected to start (e.g. its old TextPosition), in the text's offsets. */
  hint?: number;
}

export interface QuoteMatch {
  start: number;
  end: number;
  errors: number;
  /** 0..1, higher is better. */
  score: number;
}

const ERROR_RATIO = 0.25;
const MAX_ERRORS = 256;
const MIN_FUZZY_LENGTH = 8;
const MIN_FUZZY_SCORE = 0.5;
/** Scoring an unbounded number of exact candidates would make "the" take seconds on a long page. */
const MAX_CANDIDATES = 500;

const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 };
const WEIGHT_SUM = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;

export function errorBudget(quoteLength: number): number {
  return Math.min(MAX_ERRORS, Math.floor(quoteLength * ERROR_RATIO));
}

/** 1 when `actual` equals `expected`, falling towards 0 with each edit needed (whitespace-insensitive). */
export function similarity(actual: string, expected: string): number {
  const a = squash(actual);
  const e = squash(expected);
  if (e.length === 0) return 1;
  if (a.length === 0) return 0;
  if (a === e) return 1;
  const best = search(a, e, e.length)[0];
  if (!best) return 0;
  // Count the part of `expected` that didn't fit in `actual` as errors too.
  const errors = best.errors + Math.max(0, e.length - a.length);
  return Math.max(0, 1 - errors / e.length);
}

function indexesOf(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1 && found.length < MAX_CANDIDATES; at = text.indexOf(needle, at + 1)) {
    found.push(at);
  }
  return found;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
  quoteLength: number;
}

function score(text: string, c: Candidate, ctx: QuoteContext): number {
  const quoteScore = 1 - c.errors / c.quoteLength;
  // Compare a little more text than the context itself so a context that gained a word still lines up.
  const prefix = ctx.prefix ? similarity(text.slice(Math.max(0, c.start - ctx.prefix.length * 2), c.start).slice(-ctx.prefix.length - 8), ctx.prefix) : 1;
  const suffix = ctx.suffix ? similarity(text.slice(c.end, c.end + ctx.suffix.length + 8), ctx.suffix) : 1;
  const position = ctx.hint === undefined || text.length === 0 ? 1 : 1 - Math.min(1, Math.abs(c.start - ctx.hint) / text.length);
  return (WEIGHTS.quote * quoteScore + WEIGHTS.prefix * prefix + WEIGHTS.suffix * suffix + WEIGHTS.position * position) / WEIGHT_SUM;
}

function best(text: string, candidates: Candidate[], ctx: QuoteContext, minScore: number): QuoteMatch | null {
  let top: QuoteMatch | null = null;
  for (const c of candidates) {
    const s = score(text, c, ctx);
    if (s >= minScore && (!top || s > top.score)) top = { start: c.start, end: c.end, errors: c.errors, score: s };
  }
  return top;
}

export function matchQuote(text: string, quote: string, ctx: QuoteContext = {}): QuoteMatch | null {
  if (quote.length === 0 || text.length === 0) return null;

  const exact = indexesOf(text, quote).map((start) => ({ start, end: start + quote.length, errors: 0, quoteLength: quote.length }));
  if (exact.length > 0) return best(text, exact, ctx, 0);

  const collapsed = collapseWhitespace(text);
  const q = squash(quote);
  if (q.length === 0) return null;
  const toOriginal = (s: number, e: number, errors: number): Candidate => ({
    start: collapsed.map[s]!,
    // The end maps via the last matched character so trailing collapsed whitespace isn't swallowed.
    end: collapsed.map[e - 1]! + 1,
    errors,
    quoteLength: q.length,
  });

  const loose = indexesOf(collapsed.text, q).map((s) => toOriginal(s, s + q.length, 0));
  if (loose.length > 0) return best(text, loose, ctx, 0);

  if (q.length < MIN_FUZZY_LENGTH) return null;
  const budget = errorBudget(q.length);
  if (budget === 0) return null;
  const fuzzy = search(collapsed.text, q, budget)
    .filter((m) => m.end > m.start)
    .slice(0, MAX_CANDIDATES)
    .map((m) => toOriginal(m.start, m.end, m.errors));
  return best(text, fuzzy, ctx, MIN_FUZZY_SCORE);
}
