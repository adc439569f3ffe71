import { normaliseUrl } from './normalise-url';
import { splitSentences } from './sentences';
import { contentWords } from './words';
import type { NumberedPassage, Passage, SourceOrigin } from './types';

/**
 * Aggregate: one list of numbered sources from every retriever's list.
 * - Fusion by reciprocal rank across origins (scores of different retrievers are not comparable, ranks
 *   are); a passage found by several origins adds up their contributions.
 * - Dedupe: the same article reached as the open page, a saved highlight and a web result is one
 *   source. Two passages are folded when one's text is (nearly) contained in the other's, or when they
 *   come from the same page (normalised URL) through different origins. The folded source keeps the
 *   highlight's id and note (the user's own words stay attached), the most trusted origin's identity,
 *   and the distinct texts in rank order.
 * - Cut: at most MAX_SOURCES, within the context budget in characters.
 */

export const MAX_SOURCES = 20;
export const RRF_K = 60;
/** Share of the shorter text's word 3-grams found in the longer one above which two texts are one passage. */
export const CONTAINMENT = 0.6;
/** Smallest useful piece of a source when the budget is nearly spent. */
const MIN_SOURCE_CHARS = 200;

/** Which origin's identity a folded source keeps: the user's own saved things before anything fetched. */
const TRUST: Record<SourceOrigin, number> = { memory: 0, records: 1, page: 2, products: 3, web: 4 };

interface Group {
  members: Passage[];
  texts: string[];
  shingles: Set<string>;
  urls: Set<string>;
  origins: Set<SourceOrigin>;
  fused: number;
}

function shingles(text: string): Set<string> {
  const w = contentWords(text);
  const out = new Set<string>();
  if (w.length < 3) {
    if (w.length) out.add(w.join(' '));
    return out;
  }
  for (let i = 0; i + 3 <= w.length; i++) out.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
  return out;
}

/** Share of the smaller set found in the larger: 1 when one text is inside the other. */
export function containment(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let hit = 0;
  for (const s of small) if (large.has(s)) hit++;
  return hit / small.size;
}

function sameSource(group: Group, p: Passage, sh: Set<string>, url: string): boolean {
  if (containment(group.shingles, sh) >= CONTAINMENT) return true;
  // The same page through another origin: one article, one source (two chunks of one page from the
  // same origin stay two sources, so citations keep pointing at the right part).
  return Boolean(url) && group.urls.has(url) && !group.origins.has(p.origin);
}

function fold(group: Group): Passage {
  const members = [...group.members].sort((a, b) => TRUST[a.origin] - TRUST[b.origin]);
  const lead = members[0]!;
  const highlight = group.members.find((m) => m.highlightId);
  const origins = [...group.origins].filter((o) => o !== lead.origin);
  return {
    ...lead,
    text: group.texts.join('\n…\n'),
    ...(highlight ? { highlightId: highlight.highlightId, note: highlight.note ?? lead.note, kind: highlight.kind, sourceId: highlight.sourceId } : {}),
    url: lead.url || group.members.find((m) => m.url)?.url || '',
    title: lead.title || group.members.find((m) => m.title)?.title || '',
    score: group.fused,
    ...(origins.length ? { alsoFrom: origins } : {}),
  };
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/**
 * The part of a long text (a whole web page) that the queries are about: the run of sentences within
 * `max` characters holding the most query words, rather than its first `max` characters.
 */
export function bestPart(text: string, queryWords: ReadonlySet<string>, max: number): string {
  if (text.length <= max) return text;
  if (queryWords.size === 0) return clip(text, max);
  const parts = splitSentences(text);
  const hits = parts.map((s) => contentWords(s.text).filter((w) => queryWords.has(w)).length);
  let best = 0;
  let bestScore = -1;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < parts.length; i++) {
    if (j < i) {
      j = i;
      sum = 0;
    }
    while (j < parts.length && parts[j]!.end - parts[i]!.start <= max) sum += hits[j++]!;
    if (sum > bestScore) {
      bestScore = sum;
      best = i;
    }
    if (j > i) sum -= hits[i]!;
  }
  const from = parts[best]?.start ?? 0;
  const piece = clip(text.slice(from), max);
  return from > 0 ? `…${piece}` : piece;
}

export interface AggregateResult {
  sources: NumberedPassage[];
  retrieved: number;
  unique: number;
}

/** Longest text one source brings into the prompt (a whole fetched page is cut to its best part). */
export const MAX_SOURCE_CHARS = 2_000;

export function aggregate(lists: readonly Passage[][], contextChars: number, queries: readonly string[] = []): AggregateResult {
  const queryWords = new Set(queries.flatMap((q) => contentWords(q)));
  // Each list ranked by its own score, then fused by rank.
  const scored: { p: Passage; rrf: number }[] = [];
  for (const list of lists) {
    const ranked = [...list].sort((a, b) => b.score - a.score);
    ranked.forEach((p, i) => scored.push({ p, rrf: 1 / (RRF_K + i + 1) }));
  }
  scored.sort((a, b) => b.rrf - a.rrf || TRUST[a.p.origin] - TRUST[b.p.origin]);

  const groups: Group[] = [];
  for (const { p, rrf } of scored) {
    const sh = shingles(p.text);
    const url = p.url ? normaliseUrl(p.url) : '';
    const group = groups.find((g) => sameSource(g, p, sh, url));
    if (!group) {
      groups.push({ members: [p], texts: [p.text.trim()], shingles: sh, urls: new Set(url ? [url] : []), origins: new Set([p.origin]), fused: rrf });
      continue;
    }
    group.members.push(p);
    group.origins.add(p.origin);
    if (url) group.urls.add(url);
    // Two texts for one source only when the new one says something the kept ones don't.
    if (containment(group.shingles, sh) < CONTAINMENT) {
      group.texts.push(p.text.trim());
      for (const s of sh) group.shingles.add(s);
    } else if (p.text.length > group.texts[0]!.length && group.texts.length === 1) {
      // The longer text of a near-duplicate pair holds more of what an answer could cite.
      group.texts[0] = p.text.trim();
      group.shingles = new Set([...group.shingles, ...sh]);
    }
    group.fused += rrf;
  }
  groups.sort((a, b) => b.fused - a.fused);

  const sources: NumberedPassage[] = [];
  let left = Math.max(MIN_SOURCE_CHARS, contextChars);
  for (const g of groups) {
    if (sources.length >= MAX_SOURCES || left < MIN_SOURCE_CHARS) break;
    const passage = fold(g);
    const text = bestPart(passage.text, queryWords, Math.min(left, MAX_SOURCE_CHARS));
    left -= text.length;
    sources.push({ ...passage, text, n: sources.length + 1 });
  }
  return { sources, retrieved: scored.length, unique: groups.length };
}
