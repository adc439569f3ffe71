import { runPipeline } from '@shared/serving/pipeline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtractedProduct, type ExtractedProductInput } from '@shared/schemas/products';
import type { CalicoDb } from '@/db/database';
import type { AskSource, Engine } from '@/ai/engines/types';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import { answerChat, type ChatDeps } from '@/assistant/chat/chat-answer';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { saveProductVisit } from './product-repository';
import { shoppingSources } from './shopping-sources';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('shopping-sources');
});
afterEach(() => dropTestDb(db));

const DAY = 86_400_000;
const product = (over: Partial<ExtractedProductInput>) => ExtractedProduct.parse({ storeDomain: 'a.example', sources: ['json-ld'], currency: 'EUR', ...over });
const review: AskSource = {
  n: 1,
  id: 'page:https://reviews.example/toaster#0',
  kind: 'page',
  sourceId: 'https://reviews.example/toaster',
  url: 'https://reviews.example/toaster',
  title: 'Toaster review',
  site: 'reviews.example',
  text: 'The Brewco toaster browns evenly but its crumb tray is hard to reach.',
};

async function seed() {
  await saveProductVisit(product({ name: 'Brewco Steel Kettle 1.7 L', brand: 'Brewco', gtin: '4006381333931', price: 30, url: 'https://a.example/kettle', specs: [{ name: 'Power', value: '2200 W' }] }), 0, db);
  await saveProductVisit(product({ name: 'Brewco Steel Kettle 1.7 L', brand: 'Brewco', gtin: '4006381333931', price: 24, url: 'https://a.example/kettle', specs: [{ name: 'Power', value: '2200 W' }] }), 2 * DAY, db);
  await saveProductVisit(
    product({ name: 'Brewco Toaster 2 Slice', brand: 'Brewco', gtin: '4006381333948', price: 25, url: 'https://b.example/toaster', storeDomain: 'b.example', specs: [{ name: 'Power', value: '900 W' }, { name: 'Slots', value: '2' }] }),
    DAY,
    db,
  );
}

describe('shopping sources', () => {
  it('puts product memory first, citing the product pages with specs and price history, then the reading', async () => {
    await seed();
    const found = await shoppingSources('Which draws more power, the toaster or the kettle?', async () => [review], db);
    expect(found).toMatchObject({ products: 2, passages: 1 });
    expect(found.sources.map((s) => [s.n, s.url])).toEqual([
      [1, 'https://a.example/kettle'],
      [2, 'https://b.example/toaster'],
      [3, 'https://reviews.example/toaster'],
    ]);
    expect(found.sources[1]!.text).toContain('Power: 900 W.');
    expect(found.sources[0]!.text).toMatch(/Price history at a\.example: 1970-01-01 €30\.00, 1970-01-03 €24\.00/);
  });

  it('answers from product memory alone when the memory search fails', async () => {
    await seed();
    const found = await shoppingSources('kettle', async () => Promise.reject(new Error('offscreen restarting')), db);
    expect(found.sources[0]!.url).toBe('https://a.example/kettle');
    expect(found.passages).toBe(0);
  });

  it('is the chat’s Shopping scope: an extractive answer quotes the spec and cites the product page', async () => {
    await seed();
    const deps: ChatDeps = {
      engines: [new ExtractiveEngine() as Engine],
      preferences: async () => ({ privacy: 'local-only', engine: 'auto' }),
      retrieveMemory: async () => {
        throw new Error('the Shopping scope must not search memory alone');
      },
      retrieveProducts: (q) => shoppingSources(q, undefined, db),
      pageContext: async () => null,
      webAccess: async () => ({ search: null, reason: 'local only' }),
      runPipeline,
    };
    const answer = await answerChat('shopping', 'What power does the Brewco toaster have?', [], deps);
    expect(answer.searched).toMatch(/^your product memory, then your reading: \d+ passages? — for/);
    expect(answer.answer).toContain('Power: 900 W');
    expect(answer.cited).toContain(1);
    expect(answer.sources[0]!.url).toBe('https://b.example/toaster');
    // Cited as a product, with its best price and store beside the name (the chat's citation chip).
    expect(answer.sources[0]).toMatchObject({ kind: 'product', title: expect.stringContaining('Toaster'), detail: expect.stringMatching(/\d.* at b\.example/) });
  });
});
