import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { BUNDLED_MODEL, Embedder, cosine, prepareText, wasmThreads } from './embedder';

const MODELS = resolve(import.meta.dirname, '../../wasm/models');

// Paraphrases share meaning but few words; each is compared against an unrelated sentence too.
const PAIRS: [string, string, string][] = [
  ['How do I bake sourdough bread at home?', 'Instructions for making a naturally leavened loaf in your kitchen', 'The central bank raised interest rates by half a point'],
  ['The stock market fell sharply today', 'Share prices dropped steeply this afternoon', 'My cat likes to sleep in the sun'],
  ['Tips for improving sleep quality', 'How to get better rest at night', 'The rocket reached low earth orbit'],
  ['The car would not start this morning', 'My vehicle refused to turn on today', 'She painted the fence a bright blue'],
  ['Climate change is melting glaciers', 'Global warming causes ice sheets to shrink', 'He ordered a pizza with extra cheese'],
  ['What is the capital city of France?', 'Which city is the seat of the French government?', 'Running shoes should be replaced every 500 miles'],
  ['The patient was prescribed antibiotics', 'The doctor gave her medication to fight the infection', 'The orchestra tuned their instruments'],
  ['Learn to play the guitar quickly', 'Fast ways to get good at strumming chords', 'The invoice is due at the end of the month'],
  ['THE BOUNDARY LAYER OF A SUPERSONIC WING', 'airflow near the surface of a wing at speeds above mach one', 'a recipe for vegetable soup with lentils'],
  ['How can I reduce my electricity bill?', 'Ways to cut down on home energy costs', 'The football match ended in a draw'],
];

describe('Embedder (bundled USE-lite, offline)', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await Embedder.load({ localModelPath: MODELS });
  }, 60_000);
  afterAll(async () => {
    await embedder?.dispose();
  });

  it('loads the bundled model offline and returns normalised 512-d vectors tagged with the model id', async () => {
    expect(embedder.modelId).toBe('use-lite');
    const [a, empty] = await embedder.embed(['hello world', '   ']);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a!.length).toBe(512);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 3);
    expect(empty!.every((x) => x === 0)).toBe(true);
  });

  it('places paraphrases closer than unrelated sentences, for every pair', async () => {
    const flat = PAIRS.flat();
    // batch size smaller than the input exercises batching
    const vectors = await embedder.embed(flat);
    for (let i = 0; i < PAIRS.length; i++) {
      const [a, b, c] = [vectors[3 * i]!, vectors[3 * i + 1]!, vectors[3 * i + 2]!];
      const para = cosine(a, b);
      const unrelated = Math.max(cosine(a, c), cosine(b, c));
      expect(para, PAIRS[i]![0]).toBeGreaterThan(unrelated);
    }
  });

  it('batches give the same vectors as one-at-a-time calls, and case does not matter', async () => {
    const texts = PAIRS.map((p) => p[0]);
    const together = await embedder.embed(texts);
    const alone = await embedder.embed([texts[3]!]);
    expect(cosine(together[3]!, alone[0]!)).toBeGreaterThan(0.9999);
    const [upper, lower] = await embedder.embed(['SUPERSONIC BOUNDARY LAYER', 'supersonic boundary layer']);
    expect(cosine(upper!, lower!)).toBeGreaterThan(0.9999);
  });

  it('prepares text per model', () => {
    expect(prepareText('  Hello\n\tWORLD ', BUNDLED_MODEL)).toBe('hello world');
  });

  it('fails to load from a folder without the model rather than reaching for the hub', async () => {
    await expect(Embedder.load({ localModelPath: resolve(MODELS, 'no-such-folder') })).rejects.toThrow();
  });
});

describe('wasmThreads', () => {
  it('uses one thread unless the document is cross-origin isolated', () => {
    expect(wasmThreads({ navigator: { hardwareConcurrency: 8 } })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 } })).toBe(1);
  });

  it('takes half the cores when isolated, at least one and at most four', () => {
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 4 } })).toBe(2);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 16 } })).toBe(4);
    expect(wasmThreads({ crossOriginIsolated: true })).toBe(1);
  });
});
