import type { AskSource } from '@/ai/engines/types';
import type { CitedSource } from '@shared/schemas/assistant';
import type { Passage, SourceOrigin } from '@shared/serving/types';

/**
 * The chat's numbered sources (AskSource: what retrieval, the extractive engine and the stored
 * CitedSource speak) and the pipeline's passages are the same facts in two shapes; these two functions
 * are the only place they meet.
 */

/** A retrieved source as a pipeline passage; `score` follows its rank (only comparable within the origin). */
export function passageOf(source: AskSource, origin: SourceOrigin, rank: number, count: number): Passage {
  return {
    origin,
    kind: source.kind,
    id: source.id,
    sourceId: source.sourceId,
    url: source.url,
    title: source.title,
    text: source.text,
    score: count > 0 ? 1 - rank / count : 0,
    ...(source.highlightId ? { highlightId: source.highlightId } : {}),
    ...(source.note ? { note: source.note } : {}),
  };
}

function siteOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** A numbered passage as the engines see a source. Web, product and record passages quote like a page. */
export function askSourceOf(p: Passage & { n: number }): AskSource {
  return {
    n: p.n,
    id: p.id,
    kind: p.kind === 'highlight' ? 'highlight' : 'page',
    sourceId: p.sourceId,
    url: p.url,
    title: p.title,
    site: siteOf(p.url),
    text: p.text,
    ...(p.highlightId ? { highlightId: p.highlightId } : {}),
    ...(p.note ? { note: p.note } : {}),
  };
}

/** Several queries' lists merged: each passage once (by id), at its best rank, best first. */
export function mergeRanked(lists: readonly Passage[][]): Passage[] {
  const best = new Map<string, Passage>();
  for (const list of lists) for (const p of list) {
    const seen = best.get(p.id);
    if (!seen || p.score > seen.score) best.set(p.id, p);
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}

/** A numbered passage as stored with the answer (the schema's bounds): web results keep their kind. */
export function citedSourceOf(p: Passage & { n: number }): CitedSource {
  return {
    n: p.n,
    kind: p.kind,
    sourceId: (p.sourceId || p.url).slice(0, 8192),
    url: p.url.slice(0, 8192),
    title: p.title.slice(0, 2048),
    text: p.text.slice(0, 4000),
    ...(p.highlightId ? { highlightId: p.highlightId } : {}),
    ...(p.detail ? { detail: p.detail.slice(0, 300) } : {}),
  };
}
