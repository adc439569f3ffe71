import { getDb, type CalicoDb } from '@/db/database';
import { fuse, sourceId, DEFAULT_FUSION, type RankedItem } from '@/search/hybrid';
import { analyze, analyzeTerm, isStopWord } from '@/search/analyzer';
import { highlightDocument, pageDocument, type ResultKind } from '@/search/keyword-document';
import type { KeywordFilters, KeywordResult } from '@/search/keyword-index';
import type { VectorFilters, VectorHitMessage } from '@shared/schemas/ai-messages';
import type { AskSource } from '../engines/types';

/**
 * Hybrid retrieval: the keyword index's documents and the vector index's chunks, fused per source with
 * the search layer's fusion. Two uses: the side panel's result list (whole documents, shown with the
 * keyword result's fields) and the ask flow (the best passage of each of the top sources, numbered).
 */

export type KeywordSearch = (query: string, filters: KeywordFilters) => KeywordResult[];
export type VectorSearch = (query: string, k: number, filters: VectorFilters) => Promise<{ hits: VectorHitMessage[] }>;

/** Vector-only results weaker than this are noise for the bundled encoder (unrelated pairs ≈ 0.1). */
export const MIN_VECTOR_ONLY_SCORE = 0.3;

export function toVectorFilters(filters: KeywordFilters): VectorFilters {
  return { kind: filters.kind ?? 'all', site: filters.site, from: filters.from, to: filters.to };
}

/** Chunk hits (best first) → one ranked item per source, keyed like the keyword index. */
export function rankSources(hits: readonly VectorHitMessage[]): { ranked: RankedItem[]; bestChunk: Map<string, VectorHitMessage> } {
  const bestChunk = new Map<string, VectorHitMessage>();
  const ranked: RankedItem[] = [];
  for (const hit of hits) {
    const id = sourceId(hit.sourceKind, hit.sourceId);
    if (bestChunk.has(id)) continue;
    bestChunk.set(id, hit);
    ranked.push({ id, score: hit.score });
  }
  return { ranked, bestChunk };
}

/**
 * Share of the query's analysed terms (stemmed, stop words dropped) that the best keyword result
 * matched. A keyword list resting on one word of a question phrased differently from the text (or on
 * a stop word the side panel's index still matches) should not outvote a strong vector match.
 */
export function keywordCoverage(query: string, keyword: readonly KeywordResult[]): number {
  const wanted = new Set(analyze(query));
  if (wanted.size === 0 || keyword.length === 0) return 0;
  const matched = new Set(keyword[0]!.terms.map((t) => analyzeTerm(t)).filter((t): t is string => Boolean(t)));
  let hit = 0;
  for (const t of wanted) if (matched.has(t)) hit++;
  return hit / wanted.size;
}

/** A keyword hit on nothing but stop words ("to", or "an" as a prefix of "and") is no evidence. */
export function meaningfulKeywordHits(keyword: readonly KeywordResult[]): KeywordResult[] {
  return keyword.filter((r) => r.terms.length === 0 || r.terms.some((t) => !isStopWord(t.toLowerCase())));
}

/** The fused list: the search layer's fusion, with the vector list's say growing as coverage falls. */
function fuseByCoverage(query: string, allKeyword: readonly KeywordResult[], vector: RankedItem[]) {
  const keyword = meaningfulKeywordHits(allKeyword);
  const coverage = keywordCoverage(query, keyword);
  const vectorWeight = DEFAULT_FUSION.vectorWeight / Math.max(coverage, 0.05);
  return fuse(keyword.map((r) => ({ id: r.id, score: r.score })), vector, { vectorWeight });
}

function parse(id: string): { kind: ResultKind; key: string } {
  const colon = id.indexOf(':');
  return { kind: id.slice(0, colon) as ResultKind, key: id.slice(colon + 1) };
}

/**
 * The side panel's search by meaning: keyword results fused with vector results. Vector-only documents
 * are loaded from the database and shaped like keyword results, so the list shows them the same way.
 */
export async function hybridSearch(
  query: string,
  filters: KeywordFilters,
  keyword: readonly KeywordResult[],
  searchVectors: VectorSearch,
  db: CalicoDb = getDb(),
): Promise<KeywordResult[]> {
  const { hits } = await searchVectors(query, 100, toVectorFilters(filters));
  const { ranked } = rankSources(hits);
  const keywordIds = new Set(keyword.map((r) => r.id));
  const vector = ranked.filter((r) => keywordIds.has(r.id) || r.score >= MIN_VECTOR_ONLY_SCORE);
  const fused = fuseByCoverage(query, keyword, vector);
  const byId = new Map(keyword.map((r) => [r.id, r]));
  const missing = fused.filter((f) => !byId.has(f.id)).map((f) => parse(f.id));
  const highlights = await db.highlights.bulkGet(missing.filter((m) => m.kind === 'highlight').map((m) => m.key));
  const pages = await db.pages.bulkGet(missing.filter((m) => m.kind === 'page').map((m) => m.key));
  for (const h of highlights) if (h) byId.set(`highlight:${h.id}`, { ...highlightDocument(h), score: 0, rank: 0, terms: [] });
  for (const p of pages) if (p) byId.set(`page:${p.url}`, { ...pageDocument(p), score: 0, rank: 0, terms: [] });
  const out: KeywordResult[] = [];
  for (const f of fused) {
    const result = byId.get(f.id);
    if (!result) continue; // deleted since it was indexed
    const { text: _text, ...stored } = result as KeywordResult & { text?: string };
    out.push({ ...stored, score: f.score, rank: out.length + 1 });
  }
  return filters.limit ? out.slice(0, filters.limit) : out;
}

export interface RetrieveOptions {
  keywordSearch?: KeywordSearch;
  searchVectors: VectorSearch;
  maxSources?: number;
  db?: CalicoDb;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);

/** For a source only the keyword side found: its chunk sharing the most words with the question. */
async function passageByWords(db: CalicoDb, kind: 'page' | 'highlight', key: string, question: string): Promise<{ id: string; text: string } | undefined> {
  const chunks = await db.chunks.where('[sourceKind+sourceId]').equals([kind, key]).toArray();
  const q = words(question);
  let best: { id: string; text: string; score: number } | undefined;
  for (const c of chunks) {
    let score = 0;
    for (const w of words(c.text)) if (q.has(w)) score++;
    if (!best || score > best.score) best = { id: c.id, text: c.text, score };
  }
  if (best) return best;
  if (kind === 'highlight') {
    const h = await db.highlights.get(key);
    return h ? { id: `highlight:${key}#0`, text: [h.text, h.note].filter(Boolean).join('\n\n') } : undefined;
  }
  const p = await db.pages.get(key);
  return p ? { id: `page:${key}#0`, text: p.text.slice(0, 600) } : undefined;
}

/** The numbered sources an answer may cite: the best passage of each of the top fused sources. */
export async function retrieveSources(question: string, options: RetrieveOptions): Promise<AskSource[]> {
  const db = options.db ?? getDb();
  const max = options.maxSources ?? 6;
  const [keyword, vector] = await Promise.all([
    Promise.resolve(options.keywordSearch?.(question, { kind: 'all' }) ?? []).then((rs) => rs.filter((r) => r.kind !== 'search')),
    options.searchVectors(question, 60, { kind: 'all' }).catch(() => ({ hits: [] as VectorHitMessage[] })),
  ]);
  const { ranked, bestChunk } = rankSources(vector.hits);
  const keywordIds = new Set(keyword.map((r) => r.id));
  const fused = fuseByCoverage(question, keyword, ranked.filter((r) => keywordIds.has(r.id) || r.score >= MIN_VECTOR_ONLY_SCORE));
  const sources: AskSource[] = [];
  for (const f of fused) {
    if (sources.length >= max) break;
    const { kind, key } = parse(f.id);
    if (kind !== 'page' && kind !== 'highlight') continue;
    const hit = bestChunk.get(f.id);
    const chunk = hit ? await db.chunks.get(hit.id) : undefined;
    const passage = chunk ? { id: chunk.id, text: chunk.text } : await passageByWords(db, kind, key, question);
    if (!passage) continue;
    const meta = kind === 'highlight' ? await db.highlights.get(key) : undefined;
    const page = kind === 'page' ? await db.pages.get(key) : undefined;
    if (!meta && !page) continue;
    sources.push({
      n: sources.length + 1,
      id: passage.id,
      kind,
      sourceId: key,
      url: meta?.url ?? page!.url,
      title: meta?.pageTitle ?? page!.title,
      site: meta?.site ?? page!.site,
      text: passage.text,
      ...(meta ? { highlightId: meta.id } : {}),
    });
  }
  return sources;
}
