import { WORD, analyzeTerm } from './analyzer';

/**
 * Snippets are arrays of plain-text parts, never HTML: the surfaces wrap `match` parts in <mark> with
 * Vue's text interpolation, so page text can't inject markup however hostile it is.
 */
export interface SnippetPart {
  text: string;
  match: boolean;
}

const WORD_CHAR = String.raw`[\p{L}\p{N}]`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A regex finding any of the (index) terms as whole words, case-insensitively. */
function termPattern(terms: readonly string[]): RegExp | undefined {
  const unique = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (unique.length === 0) return undefined;
  // Longest first so "lobsters" wins over "lobster" at the same position.
  unique.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<!${WORD_CHAR})(?:${unique.map(escapeRegExp).join('|')})(?!${WORD_CHAR})`, 'giu');
}

interface Match {
  start: number;
  end: number;
  term: string;
}

export interface MarkOptions {
  /** `terms` are analysed index terms (the ranking index's stems): every word whose analysed form is
   * one of them matches, so "heating" and "heated" are marked for the term "heat". Otherwise terms are
   * the words themselves (the instant list's typeahead terms) and match whole words exactly. */
  stemmed?: boolean;
}

const MAX_MATCHES = 5000; // enough to pick a window; keeps huge pages cheap

function findMatches(text: string, terms: readonly string[], options: MarkOptions = {}): Match[] {
  const matches: Match[] = [];
  if (options.stemmed) {
    const stems = new Set(terms);
    if (stems.size === 0) return matches;
    for (const m of text.matchAll(WORD)) {
      const term = analyzeTerm(m[0]);
      if (term === null || !stems.has(term)) continue;
      matches.push({ start: m.index, end: m.index + m[0].length, term });
      if (matches.length >= MAX_MATCHES) break;
    }
    return matches;
  }
  const pattern = termPattern(terms);
  if (!pattern) return matches;
  for (const m of text.matchAll(pattern)) {
    matches.push({ start: m.index, end: m.index + m[0].length, term: m[0].toLowerCase() });
    if (matches.length >= MAX_MATCHES) break;
  }
  return matches;
}

function split(text: string, matches: readonly Match[], from: number, to: number): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let at = from;
  for (const m of matches) {
    if (m.end <= from || m.start >= to) continue;
    const start = Math.max(m.start, from);
    const end = Math.min(m.end, to);
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < to) parts.push({ text: text.slice(at, to), match: false });
  return parts;
}

/** The whole text, split into matching and non-matching parts (for titles). */
export function markTerms(text: string, terms: readonly string[], options: MarkOptions = {}): SnippetPart[] {
  if (!text) return [];
  return split(text, findMatches(text, terms, options), 0, text.length);
}

/**
 * The best window of `text` (at most about `maxLength` characters) around the matched terms: the one
 * holding the most distinct terms, then the most matches. Cut at word boundaries, with ellipses where
 * text was left out. Whitespace runs are collapsed first so page layout doesn't waste the window.
 */
export function buildSnippet(rawText: string, terms: readonly string[], maxLength = 180, options: MarkOptions = {}): SnippetPart[] {
  const text = rawText.replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const matches = findMatches(text, terms, options);
  if (text.length <= maxLength) return split(text, matches, 0, text.length);

  let bestStart = 0;
  if (matches.length > 0) {
    const lead = Math.min(40, Math.floor(maxLength / 4));
    let bestScore = -1;
    for (let i = 0; i < matches.length; i++) {
      const start = Math.max(0, matches[i]!.start - lead);
      const seen = new Set<string>();
      let count = 0;
      for (let j = i; j < matches.length && matches[j]!.end <= start + maxLength; j++) {
        seen.add(matches[j]!.term);
        count++;
      }
      const score = seen.size * 1000 + count;
      if (score > bestScore) {
        bestScore = score;
        bestStart = start;
      }
    }
  }

  let start = Math.min(bestStart, Math.max(0, text.length - maxLength));
  let end = Math.min(text.length, start + maxLength);
  // Move the edges to word boundaries, but never past a match.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    const firstMatch = matches.find((m) => m.end > start);
    if (space !== -1 && space < start + 20 && (!firstMatch || space < firstMatch.start)) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    const lastMatch = [...matches].reverse().find((m) => m.start < end);
    if (space > end - 20 && (!lastMatch || space >= lastMatch.end)) end = space;
  }

  const parts = split(text, matches, start, end);
  if (start > 0) parts.unshift({ text: '… ', match: false });
  if (end < text.length) parts.push({ text: ' …', match: false });
  return mergeAdjacent(parts);
}

function mergeAdjacent(parts: SnippetPart[]): SnippetPart[] {
  const out: SnippetPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && !last.match && !p.match) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
