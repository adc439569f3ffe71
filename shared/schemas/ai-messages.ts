import { z } from 'zod';

/**
 * Messages of the on-device AI (spread into MESSAGES in messages.ts). The offscreen document holds the
 * embedder and the vector index and answers `ai.vectorSearch` / `ai.status`; the background answers
 * `ai.ensure` by creating that document when it is missing.
 */

export const VectorFilters = z.object({
  kind: z.enum(['all', 'highlight', 'page', 'search']).default('all'),
  site: z.string().max(512).optional(),
  from: z.number().optional(),
  to: z.number().optional(),
});
export type VectorFilters = z.infer<typeof VectorFilters>;

/**
 * Pseudo-relevance feedback for a vector query: the best keyword results' source ids (`page:<url>`,
 * `highlight:<id>`) whose chunks' centroid is blended into the query vector with this weight
 * (extension/search/hybrid.ts feedbackFor / seededQueryVector).
 */
export const VectorFeedback = z.object({
  seeds: z.array(z.string().min(1).max(8300)).max(20),
  weight: z.number().min(0).max(1),
});
export type VectorFeedback = z.infer<typeof VectorFeedback>;

export const VectorHitMessage = z.object({
  /** Chunk id: `kind:key#ordinal`. */
  id: z.string(),
  sourceKind: z.enum(['page', 'highlight']),
  sourceId: z.string(),
  score: z.number(),
  url: z.string(),
  title: z.string(),
  site: z.string(),
  at: z.number(),
});
export type VectorHitMessage = z.infer<typeof VectorHitMessage>;

export const AiStatus = z.object({
  /** The embedder loaded and the vector index is built. */
  ready: z.boolean(),
  model: z.string(),
  kernel: z.string(),
  vectors: z.number().int(),
  error: z.string().nullable(),
});
export type AiStatus = z.infer<typeof AiStatus>;

/** Chrome's idle state (chrome.idle): whether the person is using the machine. */
export const MachineState = z.enum(['active', 'idle', 'locked']);
export type MachineState = z.infer<typeof MachineState>;

/** Most vector hits one query may ask for: the panel asks for 100; more would only list history in bulk. */
export const MAX_VECTOR_K = 200;

/** Every AI message comes from the extension's own pages (see SenderKind in messages.ts). */
const EXTENSION = ['extension'] as const;

export const AI_MESSAGES = {
  /** Any extension page → background: make sure the offscreen document runs. */
  'ai.ensure': {
    from: EXTENSION,
    request: z.object({}),
    response: z.object({ created: z.boolean() }),
  },
  /** → offscreen: the chunks nearest in meaning to a query (best first). */
  'ai.vectorSearch': {
    from: EXTENSION,
    request: z.object({
      query: z.string().min(1).max(4000),
      k: z.number().int().min(1).max(MAX_VECTOR_K).default(50),
      filters: VectorFilters.default({ kind: 'all' }),
      feedback: VectorFeedback.optional(),
    }),
    /** `floor`: the index's calibrated noise floor (search/noise-floor.ts), the cosine a result found
     * only by meaning must reach when no word of the query matched. */
    response: z.object({ model: z.string(), hits: z.array(VectorHitMessage), floor: z.number().min(-1).max(2).optional() }),
  },
  /** → offscreen: is the embedder loaded, how many vectors are indexed. */
  'ai.status': {
    from: EXTENSION,
    request: z.object({}),
    response: AiStatus,
  },
  /** Offscreen → background: is the person using the machine (indexing works harder when not). */
  'ai.machineState': {
    from: EXTENSION,
    request: z.object({}),
    response: z.object({ state: MachineState }),
  },
  /** → offscreen: look at the change log now instead of at the next idle tick. */
  'ai.wake': {
    from: EXTENSION,
    request: z.object({}),
    response: z.object({ ok: z.boolean() }),
  },
  /** → offscreen: start embedding a query the sender is about to search with (while it ranks keywords),
   * and keep it cached; answers at once. `{}` only warms the model up (the side panel opening). */
  'ai.prepareQuery': {
    from: EXTENSION,
    request: z.object({ query: z.string().max(4000).optional() }),
    response: z.object({ ok: z.boolean() }),
  },
} as const;
