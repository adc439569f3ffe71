import { getDb, type CalicoDb } from '@/db/database';
import { Bm25Index, RANKING_INDEX_OPTIONS } from './bm25-index';
import { DEFAULT_FUSION, bestHitPerSource, feedbackFor, fuseHybrid, keywordList, type Feedback, type FusedResult, type RankedItem } from './hybrid';
import { sourceId } from './source-id';
import { highlightDocument, pageDocument, parseDocId } from './keyword-document';
import type { KeywordFilters, KeywordRanking, KeywordResult } from './keyword-index';
import type { VectorFilters, VectorHitMessage } from '@shared/schemas/ai-messages';
import type { AskSource } from '@/ai/engines/types';
import { applyRankPrior } from '@shared/signals/rank-prior';
import { pagePassages } from '@/ai/page-passages';

/**
 * Hybrid retrieval in the extension: the benchmarked ranking of search/hybrid.ts, run across the two
 * places its halves live. The keyword side (the ranking index, KeywordIndex.rank) runs here; its list
 * seeds the vector query (feedbackFor), which the offscreen document applies before its top-k
 * (seededQueryVector); the two lists are fused here (fuseHybrid). Two uses: the side panel's result
 * list (whole documents, shown with the keyword result's fields) and the ask flow (the best passage of
 * each of the top sources, numbered).
 */

export type KeywordRank = (query: string, filters: KeywordFilters, limit: number) => KeywordRanking;
/** `floor`: the vector index's calibrated noise floor (search/noise-floor.ts), when it has one. */
export type VectorSearch = (query: string, k: number, filters: VectorFilters, feedback?: Feedback) => Promise<{ hits: VectorHitMessage[]; floor?: number }>;

/** No keyword index (it failed to open): an empty list, made by the ranking index itself so its shape
 * follows hybrid.ts. */
const emptyRanking = (): KeywordRanking => ({ list: keywordList(new Bm25Index(RANKING_INDEX_OPTIONS).search('', 0)), results: [] });

export function toVectorFilters(filters: KeywordFilters): VectorFilters {
  return { kind: filters.kind ?? 'all', site: filters.site, from: filters.from, to: filters.to };
}

/** Chunk hits (best first) → one ranked item per source (as hybrid.ts sourceRanking), and each
 * source's best chunk (the ask flow quotes it). */
export function rankSources(hits: readonly VectorHitMessage[]): { ranked: RankedItem[]; bestChunk: Map<string, VectorHitMessage> } {
  const bestChunk = bestHitPerSource(hits, (hit) => sourceId(hit.sourceKind, hit.sourceId));
  return { ranked: [...bestChunk].map(([id, hit]) => ({ id, score: hit.score })), bestChunk };
}

export interface HybridRun {
  keyword: KeywordRanking;
  feedback: Feedback;
  fused: FusedResult[];
  bestChunk: Map<string, VectorHitMessage>;
}

/** One hybrid query: keyword list → feedback → seeded vector search → fusion. */
export async function runHybrid(
  query: string,
  filters: KeywordFilters,
  rankKeywords: KeywordRank | undefined,
  searchVectors: VectorSearch,
  depth: { keyword: number; vector: number },
): Promise<HybridRun> {
  const keyword = rankKeywords?.(query, filters, depth.keyword) ?? emptyRanking();
  const feedback = feedbackFor(keyword.list);
  const { hits, floor } = await searchVectors(query, depth.vector, toVectorFilters(filters), feedback.seeds.length ? feedback : undefined);
  const { ranked, bestChunk } = rankSources(hits);
  const fusion = floor === undefined ? {} : { fusion: { ...DEFAULT_FUSION, minVectorOnlyScore: floor } };
  return { keyword, feedback, fused: fuseHybrid(keyword.list, ranked, fusion), bestChunk };
}

/** The side panel's depth: as many keyword results as anyone scrolls through; vector chunks for ~30+ sources. */
export const PANEL_DEPTH = { keyword: 500, vector: 100 } as const;

export interface PanelSearchOptions {
  rankKeywords: KeywordRank;
  searchVectors: VectorSearch;
  /** The instant list already shown (the ranking index's typeahead): its prefix and typo matches, which a
   * ranked query doesn't make, follow the hybrid list so a half-typed word doesn't make results vanish. */
  instant?: readonly KeywordResult[];
  db?: CalicoDb;
}

/**
 * The side panel's search by meaning: the hybrid ranking, shaped like keyword results. Vector-only
 * documents are loaded from the database, so the list shows them the same way.
 */
export async function hybridSearch(query: string, filters: KeywordFilters & { hideSpam?: boolean }, options: PanelSearchOptions): Promise<KeywordResult[]> {
  const db = options.db ?? getDb();
  const { keyword, fused } = await runHybrid(query, { ...filters, limit: undefined }, options.rankKeywords, options.searchVectors, PANEL_DEPTH);
  const byId = new Map(keyword.results.map((r) => [r.id, r]));
  const missing = fused.filter((f) => !byId.has(f.id)).map((f) => parseDocId(f.id));
  const highlights = await db.highlights.bulkGet(missing.filter((m) => m.kind === 'highlight').map((m) => m.key));
  const pages = await db.pages.bulkGet(missing.filter((m) => m.kind === 'page').map((m) => m.key));
  for (const h of highlights) if (h) byId.set(`highlight:${h.id}`, { ...highlightDocument(h), score: 0, rank: 0, terms: [] });
  for (const p of pages) if (p) byId.set(`page:${p.url}`, { ...pageDocument(p), score: 0, rank: 0, terms: [] });
  const out: KeywordResult[] = [];
  for (const f of fused) {
    const result = byId.get(f.id);
    if (!result) continue; // deleted since it was indexed
    const { text: _text, ...stored } = result as KeywordResult & { text?: string };
    out.push({ ...stored, score: f.score, rank: out.length + 1, ...(f.keyword ? {} : { byMeaning: true }) });
  }
  const listed = new Set(out.map((r) => r.id));
  for (const r of options.instant ?? []) if (!listed.has(r.id)) out.push({ ...r, rank: out.length + 1 });
  // Spam (content signals, issue 14) is listed lower, or left out with the filter.
  const ranked = applyRankPrior(out, filters.hideSpam).map((r, i) => ({ ...r, rank: i + 1 }));
  return filters.limit ? ranked.slice(0, filters.limit) : ranked;
}

export interface RetrieveOptions {
  rankKeywords?: KeywordRank;
  searchVectors: VectorSearch;
  maxSources?: number;
  db?: CalicoDb;
}

/** Ask your memory cites pages and highlights (saved searches have no passage to quote). */
const ASK_FILTERS: KeywordFilters = { kind: 'all', kinds: ['page', 'highlight'] };
export const ASK_DEPTH = { keyword: 60, vector: 60 } as const;

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
  if (!p) return undefined;
  // Not embedded yet: the page's passage of whole sentences sharing the most words with the question.
  const passages = pagePassages(p.text, 600);
  let bestPassage = { i: 0, score: -1 };
  passages.forEach((text, i) => {
    let score = 0;
    for (const w of words(text)) if (q.has(w)) score++;
    if (score > bestPassage.score) bestPassage = { i, score };
  });
  return { id: `page:${key}#0`, text: passages[bestPassage.i] ?? p.text.slice(0, 600) };
}

/** A first chunk's text without the title the chunker put in front of it. */
export function stripTitle(text: string, title: string): string {
  const t = title.trim();
  if (t && text.startsWith(`${t}. `)) return text.slice(t.length + 2);
  if (t && text === t) return '';
  return text;
}

/** The numbered sources an answer may cite: the best passage of each of the top fused sources. */
export async function retrieveSources(question: string, options: RetrieveOptions): Promise<AskSource[]> {
  const db = options.db ?? getDb();
  const max = options.maxSources ?? 6;
  // Without the offscreen document the keyword side still answers (fused alone, it is its own order).
  const searchVectors: VectorSearch = (...args) => options.searchVectors(...args).catch(() => ({ hits: [] as VectorHitMessage[] }));
  const { fused, bestChunk } = await runHybrid(question, ASK_FILTERS, options.rankKeywords, searchVectors, ASK_DEPTH);
  const sources: AskSource[] = [];
  for (const f of fused) {
    if (sources.length >= max) break;
    const { kind, key } = parseDocId(f.id);
    if (kind !== 'page' && kind !== 'highlight') continue;
    const hit = bestChunk.get(f.id);
    const chunk = hit ? await db.chunks.get(hit.id) : undefined;
    // A source the keyword side found is quoted where it shares the question's words; one found only by
    // meaning, at the chunk the vector search matched.
    const byWords = !chunk || f.keyword ? await passageByWords(db, kind, key, question) : undefined;
    const passage = byWords ?? (chunk ? { id: chunk.id, text: chunk.text } : undefined);
    if (!passage) continue;
    const meta = kind === 'highlight' ? await db.highlights.get(key) : undefined;
    const page = kind === 'page' ? await db.pages.get(key) : undefined;
    if (!meta && !page) continue;
    // The chunker leads a page's first chunk with its title and appends a highlight's note (both help
    // search); the passage an answer quotes is the page's or the highlight's own words only.
    let text = meta ? meta.text : stripTitle(passage.text, page!.title);
    if (!text.trim() && page) text = (await passageByWords(db, 'page', key, question))?.text ?? '';
    if (!text.trim()) continue;
    sources.push({
      n: sources.length + 1,
      id: passage.id,
      kind,
      sourceId: key,
      url: meta?.url ?? page!.url,
      title: meta?.pageTitle ?? page!.title,
      site: meta?.site ?? page!.site,
      text,
      ...(meta ? { highlightId: meta.id } : {}),
      ...(meta?.note?.trim() ? { note: meta.note.trim() } : {}),
    });
  }
  return sources;
}
