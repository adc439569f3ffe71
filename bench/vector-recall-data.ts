/**
 * Real embeddings for the vector recall study (bench/vector-recall.ts): every chunk and query of the
 * ir-eval collections, embedded by the bundled model through the bench's embedding cache (the same
 * chunker and cache as the quality bench, so a quality run fills it and this reads it back).
 */
import { chunkPage } from '../extension/ai/chunker';
import { Embedder } from '../extension/ai/embedder';
import { EmbeddingCache } from './embed-cache';
import { loadCollection, type Format } from './collection';

export interface EmbeddedSet {
  name: string;
  dims: number;
  chunks: Float32Array[];
  queries: Float32Array[];
}

export async function embedCollections(collections: Record<string, { docs: string; queries: string; qrels: string; format: Format }>, modelsDir: string, log: (s: string) => void = () => {}): Promise<EmbeddedSet[]> {
  const embedder = await Embedder.load({ localModelPath: modelsDir });
  const cache = new EmbeddingCache(embedder);
  const out: EmbeddedSet[] = [];
  try {
    for (const [name, paths] of Object.entries(collections)) {
      const c = loadCollection(paths, paths.format);
      const chunks = c.docs.flatMap((d) => chunkPage({ url: d.id, title: d.title, text: d.text }));
      const t0 = performance.now();
      const vectors = await cache.embed(chunks.map((ch) => ch.text), 'passage', (done, total) => log(`${name}: embedding ${done}/${total} new chunks`));
      const queries = await cache.embed(c.queries.map((q) => q.text), 'query');
      log(`${name}: ${chunks.length} chunks, ${queries.length} queries (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      out.push({ name, dims: embedder.dims, chunks: vectors, queries });
    }
  } finally {
    await embedder.dispose();
  }
  return out;
}
