/**
 * Query embeddings by normalised text, least recently used out first. The side panel asks for the same
 * query several times (typing pauses, the hybrid run after the instant list, filters changed, Ask after
 * search), and a query embedding costs more than the whole vector scan, so each text is embedded once.
 *
 * Holds the promise, not the vector: a second request for a query still being embedded waits for the
 * first instead of starting another (the side panel may announce a query before it searches with it).
 * A failed embedding is forgotten, so the next request tries again.
 */
export class QueryEmbeddingCache {
  private readonly entries = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly embed: (text: string) => Promise<Float32Array>,
    private readonly capacity = 256,
    /** The text as the model will read it (embedder.ts prepareText): texts the model can't tell apart share
     * an entry. Default: whitespace collapsed and lower-cased. */
    private readonly keyOf: (text: string) => string = QueryEmbeddingCache.key,
  ) {}

  static key(text: string): string {
    return text.replace(/\s+/g, ' ').trim().toLowerCase();
  }

  get size(): number {
    return this.entries.size;
  }

  has(text: string): boolean {
    return this.entries.has(this.keyOf(text));
  }

  get(text: string): Promise<Float32Array> {
    const key = this.keyOf(text);
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = this.embed(text);
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }
}
