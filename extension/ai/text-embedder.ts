import { Embedder, type EmbedderOptions, type EmbeddingModel, type EmbedPurpose } from './embedder';
import { PriorityLock, yieldToEvents } from './offscreen-lock';

/** Who is waiting for an embedding: a person's query (`urgent`) or the indexing queue (`background`). */
export type EmbedPriority = 'urgent' | 'background';

/**
 * What the offscreen service needs from an embedder: the model in one place or in a dedicated worker
 * (embedder-worker-client.ts). Calls are served one at a time, a waiting urgent call before any waiting
 * background one, so a query never waits behind more than the one indexing batch already running.
 */
export interface TextEmbedder {
  readonly model: EmbeddingModel;
  embed(texts: readonly string[], purpose?: EmbedPurpose, priority?: EmbedPriority): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * After a query, indexing holds off this long: the side panel announces every typed prefix, so while a
 * person types no new batch starts, and the final query finds the model free instead of waiting behind
 * a batch (8 chunks: a few hundred ms of WASM). Indexing resumes once typing stops.
 */
export const HOLD_BACKGROUND_AFTER_QUERY_MS = 1500;

/** The embedder in this thread, its calls ordered by priority (used in Node and inside the worker). */
export class ScheduledEmbedder implements TextEmbedder {
  private readonly lock = new PriorityLock(yieldToEvents);
  private lastUrgentAt = -Infinity;

  constructor(
    private readonly embedder: Embedder,
    private readonly holdAfterQueryMs = HOLD_BACKGROUND_AFTER_QUERY_MS,
  ) {}

  static async load(options: EmbedderOptions & { holdAfterQueryMs?: number }): Promise<ScheduledEmbedder> {
    return new ScheduledEmbedder(await Embedder.load(options), options.holdAfterQueryMs);
  }

  get model(): EmbeddingModel {
    return this.embedder.model;
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose = 'passage', priority: EmbedPriority = 'background'): Promise<Float32Array[]> {
    if (priority === 'urgent') this.lastUrgentAt = performance.now();
    else await this.quietAfterQueries();
    return this.lock.run(priority, () => this.embedder.embed(texts, purpose));
  }

  private async quietAfterQueries(): Promise<void> {
    for (let wait = this.lastUrgentAt + this.holdAfterQueryMs - performance.now(); wait > 0; wait = this.lastUrgentAt + this.holdAfterQueryMs - performance.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  dispose(): Promise<void> {
    return this.embedder.dispose();
  }
}
