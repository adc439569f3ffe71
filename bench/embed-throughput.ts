/**
 * Indexing throughput of the bundled embedder (USE-lite): chunks embedded per second, in Node
 * (onnxruntime-node, native) and in headless Chromium (onnxruntime-web WASM, the build the offscreen
 * document loads), per weight format (fp16 / fp32), batch size and WASM thread count.
 *
 * The texts are real prose cut the way the product cuts it: Cranfield abstracts through chunkText
 * (~64-word chunks). Each configuration embeds one warm-up batch, then the whole set once; the rate is
 * chunks / wall seconds. Lines also carry CPU milliseconds per chunk (Node: the process, all threads;
 * Chromium: the renderer process, pthread workers included, from CDP SystemInfo.getProcessInfo), and
 * every line the 1-minute load average, because this box is shared and wall time measures the
 * neighbours too.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chunkText } from '../extension/ai/chunker';
import { BUNDLED_MODEL, Embedder } from '../extension/ai/embedder';
import { parseSmartDocs } from './collection';
import { measureThroughput, warmUp, type ThroughputConfig } from './embed-throughput-core';

/** The first `n` chunks of the Cranfield abstracts, as the product would chunk them. */
export function throughputTexts(cranfieldDocs: string, n: number): string[] {
  const out: string[] = [];
  for (const doc of parseSmartDocs(readFileSync(cranfieldDocs, 'utf8'))) {
    for (const chunk of chunkText([doc.title, doc.text].filter(Boolean).join('\n\n'))) {
      out.push(chunk.text);
      if (out.length >= n) return out;
    }
  }
  return out;
}

export async function nodeThroughput(modelsDir: string, texts: string[], configs: ThroughputConfig[], log: (s: string) => void) {
  const lines: Record<string, unknown>[] = [];
  for (const config of configs) {
    const embedder = await Embedder.load({ localModelPath: modelsDir, model: { ...BUNDLED_MODEL, dtype: config.dtype }, batchSize: config.batch });
    await warmUp((t) => embedder.embed(t), texts, config.batch);
    const cpu0 = process.cpuUsage();
    const result = await measureThroughput((t) => embedder.embed(t), texts, config.batch);
    const cpu = process.cpuUsage(cpu0);
    await embedder.dispose();
    const line = {
      bench: 'embed-throughput',
      runtime: `node ${process.versions.node} (onnxruntime-node)`,
      dtype: config.dtype,
      batch: config.batch,
      threads: 'native default',
      ...result,
      cpu_ms_per_chunk: Math.round(((cpu.user + cpu.system) / 1000 / texts.length) * 100) / 100,
      load_1m: Math.round(loadavg()[0]! * 100) / 100,
    };
    log(`node ${config.dtype} batch ${config.batch}: ${result.chunks_per_s} chunks/s`);
    lines.push(line);
  }
  return lines;
}
