import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder';
import { ScheduledEmbedder } from './text-embedder';

// A test double of the model: records the order of calls, answers after a few ms.
function modelDouble(log: string[]): Embedder {
  return {
    model: { dims: 2 },
    embed: async (texts: readonly string[]) => {
      log.push(texts[0]!);
      await new Promise((r) => setTimeout(r, 5));
      return texts.map(() => new Float32Array(2));
    },
    dispose: async () => {},
  } as unknown as Embedder;
}

describe('ScheduledEmbedder', () => {
  it('holds indexing batches while queries keep coming, then resumes', async () => {
    const log: string[] = [];
    const embedder = new ScheduledEmbedder(modelDouble(log), 60);
    const started = performance.now();
    await embedder.embed(['q1'], 'query', 'urgent');
    const batch = embedder.embed(['batch'], 'passage', 'background').then(() => performance.now() - started);
    await new Promise((r) => setTimeout(r, 30));
    // A later keystroke's query pushes the hold further and goes first.
    await embedder.embed(['q2'], 'query', 'urgent');
    expect(await batch).toBeGreaterThanOrEqual(85);
    expect(log).toEqual(['q1', 'q2', 'batch']);
  });

  it('runs indexing at once when no query came lately', async () => {
    const log: string[] = [];
    const embedder = new ScheduledEmbedder(modelDouble(log), 60);
    const started = performance.now();
    await embedder.embed(['batch'], 'passage', 'background');
    expect(performance.now() - started).toBeLessThan(50);
    expect(log).toEqual(['batch']);
  });
});
