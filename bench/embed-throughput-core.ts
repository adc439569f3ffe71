/** The part of the throughput bench that runs in Node and in the browser alike (no Node imports). */
export interface ThroughputConfig {
  dtype: 'fp16' | 'fp32';
  batch: number;
}

type Embed = (texts: string[]) => Promise<Float32Array[]>;

/** One batch first, so session start-up and first-call allocation stay out of the rate. */
export async function warmUp(embed: Embed, texts: readonly string[], batch: number): Promise<void> {
  await embed(texts.slice(0, batch) as string[]);
}

/** Every text once in batches of `batch`: chunks per wall second. */
export async function measureThroughput(embed: Embed, texts: readonly string[], batch: number) {
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += batch) {
    const out = await embed(texts.slice(i, i + batch) as string[]);
    if (out.length !== Math.min(batch, texts.length - i)) throw new Error('embedder returned the wrong number of vectors');
  }
  const ms = performance.now() - t0;
  return { chunks: texts.length, ms: Math.round(ms), chunks_per_s: Math.round((texts.length / (ms / 1000)) * 10) / 10 };
}
