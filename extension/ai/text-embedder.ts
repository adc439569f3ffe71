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

/** The embedder in this thread, its calls ordered by priority (used in Node and inside the worker). */
export class ScheduledEmbedder implements TextEmbedder {
  private readonly lock = new PriorityLock(yieldToEvents);

  constructor(private readonly embedder: Embedder) {}

  static async load(options: EmbedderOptions): Promise<ScheduledEmbedder> {
    return new ScheduledEmbedder(await Embedder.load(options));
  }

  get model(): EmbeddingModel {
    return this.embedder.model;
  }

  embed(texts: readonly string[], purpose: EmbedPurpose = 'passage', priority: EmbedPriority = 'background'): Promise<Float32Array[]> {
    return this.lock.run(priority, () => this.embedder.embed(texts, purpose));
  }

  dispose(): Promise<void> {
    return this.embedder.dispose();
  }
}
