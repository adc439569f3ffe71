import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { NOISE_PROBES, NoiseFloor, REMEASURE_ANY_CHANGE_UP_TO, floorIsStale } from './noise-floor';
import { VectorIndex } from './vector-index';
import { Embedder } from '../ai/embedder';

describe('floorIsStale', () => {
  it('re-measures on any change while the index is small, and after a tenth past that', () => {
    expect(floorIsStale(-1, 0)).toBe(true);
    expect(floorIsStale(0, 0)).toBe(false);
    // The case that stuck: measured on a tiny (or empty) index, then rows came in.
    expect(floorIsStale(0, 1)).toBe(true);
    expect(floorIsStale(3, 43)).toBe(true);
    expect(floorIsStale(3, 4)).toBe(true);
    expect(floorIsStale(REMEASURE_ANY_CHANGE_UP_TO, REMEASURE_ANY_CHANGE_UP_TO + 1)).toBe(true);
    expect(floorIsStale(10_000, 10_999)).toBe(false);
    expect(floorIsStale(10_000, 11_001)).toBe(true);
    expect(floorIsStale(10_000, 8_999)).toBe(true);
  });
});

// A reader's first days: the side panel is searched while the index holds a handful of chunks and
// again once it has grown. Sentences on many topics, none about the nonsense queries.
const SAVED = [
  'Let the dough rise overnight in a cool place before shaping the loaf.',
  'Keeping the bedroom dark and cool helps you fall asleep faster.',
  'Index funds charge lower fees than actively managed portfolios.',
  'Increase weekly mileage by no more than ten percent to avoid injury.',
  'Tomatoes need at least six hours of direct sunlight every day.',
  'Write the failing test first, then the simplest code that passes it.',
  'The probe used a gravity assist from Jupiter to reach Saturn.',
  'Grind the beans just before brewing for the best flavour.',
  'The treaty ended the war but left the border disputes unresolved for decades.',
  'Octopuses can change the colour and texture of their skin in a fraction of a second.',
  'A sourdough starter is a culture of wild yeast and lactic acid bacteria.',
  'The central bank raised interest rates to slow inflation.',
  'Stretch the hamstrings gently after a long run rather than before it.',
  'Compost needs a balance of green nitrogen-rich and brown carbon-rich material.',
  'Garbage collection pauses can be reduced by allocating fewer short-lived objects.',
  'The telescope observed the infrared glow of the early universe.',
  'Espresso is brewed by forcing hot water through finely ground coffee under pressure.',
  'Medieval monasteries copied manuscripts by hand in their scriptoria.',
  'Coral reefs bleach when warm water drives out the algae living in their tissues.',
  'Proofing baskets give the loaf its shape while it rises.',
  'Blue light from screens in the evening can delay the release of melatonin.',
  'Diversifying across asset classes lowers the risk of a portfolio.',
  'Interval training alternates short bursts of effort with recovery.',
  'Pruning tomato suckers sends more energy to the fruit.',
  'Type systems catch a class of errors before the program runs.',
  'The rover drilled into the rock to look for signs of ancient water.',
  'Cold brew steeps coarse grounds in cold water for many hours.',
  'The printing press made books cheap enough for ordinary readers.',
  'Whales communicate over long distances with low-frequency songs.',
  'Rye flour absorbs more water than wheat flour.',
  'Naps longer than thirty minutes can leave you groggy.',
  'Bonds usually fall in price when interest rates rise.',
  'Running shoes lose much of their cushioning after about 500 miles.',
  'Mulch keeps the soil moist and suppresses weeds.',
  'A code review is cheaper than a bug found in production.',
  'Saturn\'s rings are made mostly of ice particles.',
  'Light roasts keep more of the bean\'s acidity than dark roasts.',
  'The Roman aqueducts carried water across valleys on arched bridges.',
  'Bees perform a waggle dance to tell the hive where flowers are.',
  'Salt tightens the gluten network in bread dough.',
  'A regular wake-up time anchors the body clock.',
  'Inflation erodes the value of cash held in savings.',
  'Strength training twice a week helps prevent running injuries.',
];
const NONSENSE = ['xyzzyplugh', 'florbing the wizzlecrat', 'qqzx vbnm'];
// Each paraphrases one sentence, sharing no content word with it.
const REAL: [string, number][] = [
  ['tips for better rest at night', 1],
  ['a planet slingshot manoeuvre for spacecraft', 6],
  ['cheap passive investing costs', 2],
];

describe('NoiseFloor as the index grows (the offscreen document\'s floor)', () => {
  let embedder: Embedder;
  let vectors: Float32Array[];
  let probes: Float32Array[];
  const queries = new Map<string, Float32Array>();
  beforeAll(async () => {
    embedder = await Embedder.load({ localModelPath: resolve(import.meta.dirname, '../../wasm/models') });
    vectors = await embedder.embed(SAVED);
    probes = await embedder.embed([...NOISE_PROBES], 'query');
    for (const q of [...NONSENSE, ...REAL.map(([q]) => q)]) queries.set(q, await embedder.embedQuery(q));
  }, 60_000);
  afterAll(async () => {
    await embedder?.dispose();
  });

  function grow(index: VectorIndex, upTo: number) {
    for (let i = index.size; i < upTo; i++) index.upsert({ id: `highlight:h${i}`, sourceKind: 'highlight', sourceId: `h${i}` }, vectors[i]!);
  }

  // Measured on an empty index the floor is 0 (no probe finds anything): kept until the index had
  // grown by 50 rows, it let every nearest row of a nonsense query through (the sidepanel-search e2e
  // searches while the page is still being embedded).
  for (const start of [0, 3]) {
    it(`re-measures a floor taken at ${start} rows once 40 more came in: nonsense still lists nothing`, async () => {
      const index = new VectorIndex({ dims: embedder.dims, model: embedder.modelId });
      let measured = 0;
      const floor = new NoiseFloor(index, async () => (measured++, probes));
      grow(index, start);
      const early = await floor.get();
      grow(index, start + 40);
      const later = await floor.get();
      for (const q of NONSENSE) expect((await index.search(queries.get(q)!, 1))[0]!.score, q).toBeLessThan(later);
      expect(measured).toBe(2);
      // More rows, nearer neighbours for any query: the floor never falls as the index grows.
      expect(later).toBeGreaterThanOrEqual(early);
      // Unchanged index: no new probe scans.
      await floor.get();
      expect(measured).toBe(2);
    });
  }

  it('at every index size a nonsense query stays under the floor and a paraphrase finds its sentence above it', async () => {
    const index = new VectorIndex({ dims: embedder.dims, model: embedder.modelId });
    const floor = new NoiseFloor(index, async () => probes);
    for (let size = 0; size <= SAVED.length; size++) {
      grow(index, size);
      const f = await floor.get();
      for (const q of NONSENSE) expect((await index.search(queries.get(q)!, 1))[0]?.score ?? -1, `${q} at ${size} rows`).toBeLessThan(f);
      for (const [q, row] of REAL) {
        if (row >= size) continue;
        const above = (await index.search(queries.get(q)!, 5)).filter((hit) => hit.score >= f).map((hit) => hit.id);
        expect(above, `${q} at ${size} rows`).toContain(`highlight:h${row}`);
      }
    }
  });
});
