/** Latency of embedding one short query with the bundled model (Node: onnxruntime-node). */
import { Embedder } from '../extension/ai/embedder';
import { summarize, syntheticCorpus } from './latency';

export async function embedLatency(modelsDir: string, runs: number, warmup: number) {
  const embedder = await Embedder.load({ localModelPath: modelsDir });
  const queries = syntheticCorpus(10).queries(runs + warmup);
  const wall: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    const s = performance.now();
    await embedder.embedQuery(queries[i]!);
    if (i >= warmup) wall.push(performance.now() - s);
  }
  await embedder.dispose();
  return summarize('embed-query', { wall, cpu: [] }, { model: embedder.modelId, runtime: `node ${process.versions.node}` });
}
