/**
 * The retrieval module's facade: what the side panel, ask and the offscreen document use, in one place.
 * Keyword side (the ranking index with feedback and typeahead, the instant list), vector side (the
 * index of binary codes with its int8 rescore and the quantiser, the calibrated noise floor), fusion, the
 * one join key, and the hybrid query that spans the side panel and the offscreen document (retrieve.ts:
 * the side panel's list, ask's numbered passages; semantic-search.ts: the side panel's hook that reaches
 * the offscreen document).
 */
export { sourceId, parseSourceId } from './source-id';
export { getKeywordIndex, type KeywordFilters, type KeywordIndex, type KeywordRanking, type KeywordResult } from './keyword-index';
export { highlightDocument, pageDocument, parseDocId, type ResultKind } from './keyword-document';
export type { SnippetPart } from './snippet';
export { Bm25Index, RANKING_INDEX_OPTIONS } from './bm25-index';
export { HOLD_INT8_UP_TO, VectorIndex, type Int8Source, type VectorMeta } from './vector-index';
export { quantizeInt8 } from './quantize';
export { NOISE_PROBES, NoiseFloor, noiseFloor } from './noise-floor';
export { resultFilter } from './result-filter';
export {
  DEFAULT_FUSION,
  bestHitPerSource,
  blendQuery,
  feedbackFor,
  fuseHybrid,
  hybridSearch as hybridSearchInProcess,
  keywordList,
  seededQueryVector,
  type Feedback,
  type FusedResult,
  type RankedItem,
} from './hybrid';
export {
  ASK_DEPTH,
  PANEL_DEPTH,
  hybridSearch,
  rankSources,
  retrieveSources,
  runHybrid,
  stripTitle,
  toVectorFilters,
  type HybridRun,
  type KeywordRank,
  type PanelSearchOptions,
  type RetrieveOptions,
  type VectorSearch,
} from './retrieve';
export { semanticResults } from './semantic-search';
