import type { Engine } from '@/ai/engines/types';

/** The best engine the person's privacy setting and engine choice allow, as for an answer (the chooser
 * falls back to the extractive engine, which writes cloze questions). Loaded on demand: the engines
 * are heavy and the review queue opens without them. */
export async function synthesisEngine(): Promise<Engine> {
  const [{ createEngines }, { chooseEngine }, { readAiSettings }] = await Promise.all([import('@/ai/engines'), import('@/ai/engines/chooser'), import('@/ai/engines/settings')]);
  const ai = await readAiSettings();
  return (await chooseEngine(createEngines(), ai.privacy, ai.engine)).engine;
}
