import { beforeEach, describe, expect, inject, it } from 'vitest';
import { call, env, json, newAccount, resetDb } from '../../test/helpers';
import { DEFAULT_PLANS } from '../billing/plans';

// Two loopback Shopify store test doubles (worker/test/shopify-store-test-double.ts): a coffee shop
// with an MCP endpoint and an electronics shop with JSON endpoints only.
const [coffee, electro] = inject('shopifyStores') as [string, string];
/** The default plans with Free given room for the widget (the limits live in the plans only). */
function plansWithStores(stores: number, widgetConversations: number) {
  return JSON.stringify(DEFAULT_PLANS.map((p) => (p.id === 'free' ? { ...p, limits: { ...p.limits, stores, widgetConversations } } : p)));
}
const local = { SHOPIFY_ALLOW_HTTP: '1', PLANS: plansWithStores(3, 1000) };
/** Search by meaning through the loopback /v1/embeddings test double (worker/test/embeddings-test-double.ts). */
const withVectors = { EMBEDDINGS_BASE_URL: inject('embeddingsBaseUrl'), EMBEDDINGS_MODEL: 'trigram-test-double' };

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM shopify_stores').run();
  await resetDb();
});

async function register(token: string, domain: string, contactEmail = 'owner@shop.example', envOverrides = {}) {
  return call('/v1/shopify/stores', { method: 'POST', token, json: { domain, contactEmail }, envOverrides: { ...local, ...envOverrides } });
}

let visitorN = 0;
async function ask(store: string, message: string, visitor = `visitor_${(visitorN++).toString().padStart(4, '0')}`, envOverrides = {}) {
  return call('/shopify/chat', { method: 'POST', json: { store, visitor, message }, envOverrides: { ...local, ...envOverrides } });
}

describe('Shopify merchant chat', () => {
  it('indexes each store (MCP where exposed, JSON otherwise) and answers only from that store', async () => {
    const owner = await newAccount();
    const a = await register(owner.token, coffee);
    expect(a.status).toBe(201);
    expect(await json(a)).toMatchObject({ domain: coffee, products: 2, via: 'mcp' });
    expect(await json(await register(owner.token, electro, 'help@electro.example'))).toMatchObject({ products: 2, via: 'json' });

    const maker = await json(await ask(coffee, 'Do you have the Ratio Eight in walnut?'));
    const ratio = maker.products.find((p: { title: string }) => p.title === 'Ratio Eight');
    expect(ratio.addToCart).toMatch(new RegExp(`^http://${coffee}/cart/\\d+:1$`));
    expect(ratio.price).toBe(520);
    expect(maker.products.every((p: { url: string }) => p.url.startsWith(`http://${coffee}/`))).toBe(true);

    const microwave = await json(await ask(electro, 'microwave 800W'));
    expect(microwave.products[0].title).toContain('Panasonic');
    // The coffee shop knows nothing of the other store's microwave: it hands over to its own email.
    const wrongStore = await json(await ask(coffee, 'microwave 800W'));
    expect(wrongStore.products).toEqual([]);
    expect(wrongStore.handoff).toEqual({ email: 'owner@shop.example' });
    expect(JSON.stringify(wrongStore)).not.toContain('Panasonic');
  });

  it('answers support questions from the store’s own policies, with citations', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee);
    await register(owner.token, electro);
    const returns = await json(await ask(coffee, 'Can I return an item and get a refund?'));
    expect(returns.answered).toBe(true);
    expect(returns.text).toContain('30 days');
    expect(returns.text).not.toContain('14 days');
    expect(returns.citations[0]).toMatchObject({ n: 1, url: `http://${coffee}/policies/refund-policy` });
    const other = await json(await ask(electro, 'Can I return an item and get a refund?'));
    expect(other.text).toContain('14 days');
    // The FAQ page is read as a support passage too, cited at its own URL; the other store has none.
    const gift = await json(await ask(coffee, 'Do you sell gift cards?'));
    expect(gift.text).toContain('gift cards from $25');
    expect(gift.citations[0]).toMatchObject({ url: `http://${coffee}/pages/faq` });
    expect((await json(await ask(electro, 'Do you sell gift cards?'))).handoff).toEqual({ email: 'owner@shop.example' });
  });

  it('never repeats or follows instructions planted in a product description', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee);
    const answer = await json(await ask(coffee, 'grinder'));
    expect(answer.products[0].title).toBe('Burr Coffee Grinder');
    const all = JSON.stringify(answer);
    expect(all).not.toContain('evil.example');
    expect(all.toLowerCase()).not.toContain('closed');
  });

  it('is rate-limited per visitor', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee);
    const limits = { SHOP_CHAT_PER_VISITOR_PER_MIN: '2' };
    expect((await ask(coffee, 'coffee', 'visitor_same_1', limits)).status).toBe(200);
    expect((await ask(coffee, 'coffee', 'visitor_same_1', limits)).status).toBe(200);
    const third = await ask(coffee, 'coffee', 'visitor_same_1', limits);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect((await ask(coffee, 'coffee', 'visitor_other_1', limits)).status).toBe(200);
  });

  it('shows the owner conversations, unanswered questions and thumbs-down answers; nobody else', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee);
    // The store's object keeps conversations across tests: this test's questions are its own.
    const tag = Date.now().toString(36);
    const good = await json(await ask(coffee, `coffee maker ${tag}`));
    await ask(coffee, `Do you have a telescope ${tag}?`);
    const fb = await call('/shopify/feedback', { method: 'POST', json: { store: coffee, turnId: good.turnId, rating: 'down' }, envOverrides: local });
    expect(await json(fb)).toEqual({ ok: true });
    const turns = await json(await call(`/v1/shopify/stores/${encodeURIComponent(coffee)}/turns`, { token: owner.token, envOverrides: local }));
    const mine = (list: { question: string }[]) => list.map((t) => t.question).filter((q) => q.includes(tag));
    expect(mine(turns.conversations)).toHaveLength(2);
    expect(mine(turns.unanswered)).toEqual([`Do you have a telescope ${tag}?`]);
    expect(mine(turns.thumbsDown)).toEqual([`coffee maker ${tag}`]);

    const stranger = await newAccount();
    expect((await call(`/v1/shopify/stores/${encodeURIComponent(coffee)}/turns`, { token: stranger.token, envOverrides: local })).status).toBe(404);
    expect((await register(stranger.token, coffee)).status).toBe(409);
    expect((await call('/v1/shopify/stores', { method: 'POST', json: { domain: coffee, contactEmail: 'x@y.example' } })).status).toBe(401);
  });

  it('serves the widget script and refuses unknown stores and bad input', async () => {
    const js = await call('/shopify/widget.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain("attachShadow({ mode: 'closed' })");
    expect((await ask('unknown.example', 'hello')).status).toBe(404);
    expect((await call('/shopify/chat', { method: 'POST', json: { store: coffee, visitor: 'x', message: '' }, envOverrides: local })).status).toBe(400);
  });

  it('registers only as many stores as the owner’s plan allows; the usage view counts them', async () => {
    const owner = await newAccount();
    const one = { PLANS: plansWithStores(1, 10) };
    expect((await register(owner.token, coffee, 'owner@shop.example', one)).status).toBe(201);
    // Re-registering the same store (a new contact email) takes no new slot.
    expect((await register(owner.token, coffee, 'new@shop.example', one)).status).toBe(201);
    const refused = await register(owner.token, electro, 'owner@shop.example', one);
    expect(refused.status).toBe(429);
    expect((await json(refused)).error).toMatchObject({ code: 'quota_exceeded', message: expect.stringContaining('stores: the Free plan allows 1') });
    const usage = await json(await call('/v1/usage', { token: owner.token, envOverrides: { ...local, ...one } }));
    expect(usage.usage.find((l: { key: string }) => l.key === 'stores')).toMatchObject({ used: 1, limit: 1, blocked: true });
    // The default Free plan holds no store at all.
    const free = await newAccount();
    expect((await register(free.token, electro, 'owner@shop.example', { PLANS: '' })).status).toBe(429);
    // Under the limit: a second slot takes the second store.
    expect((await register(owner.token, electro, 'owner@shop.example', { PLANS: plansWithStores(2, 10) })).status).toBe(201);
  });

  it('spends widget conversations on the store owner’s plan and refuses new ones, clearly, once they are used', async () => {
    const owner = await newAccount();
    const two = { PLANS: plansWithStores(2, 2) };
    await register(owner.token, coffee, 'owner@shop.example', two);
    const tag = Date.now().toString(36);
    expect((await ask(coffee, 'coffee maker', `visitor_a_${tag}`, two)).status).toBe(200);
    // A visitor's next turns belong to the same conversation: nothing more is spent.
    expect((await ask(coffee, 'grinder', `visitor_a_${tag}`, two)).status).toBe(200);
    expect((await ask(coffee, 'coffee', `visitor_b_${tag}`, two)).status).toBe(200);
    const usage = await json(await call('/v1/usage', { token: owner.token, envOverrides: { ...local, ...two } }));
    expect(usage.usage.find((l: { key: string }) => l.key === 'widgetConversations')).toMatchObject({ used: 2, limit: 2 });

    const refused = await ask(coffee, 'coffee', `visitor_c_${tag}`, two);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-handoff-email')).toBe('owner@shop.example');
    const body = await json(refused);
    expect(body.error.code).toBe('quota_exceeded');
    expect(body.error.message).toContain('email the store at owner@shop.example');
    // The shopper is not told about the owner's plans or upgrade pages.
    expect(body.error.message).not.toMatch(/upgrade|options/i);
    // Conversations already running go on.
    expect((await ask(coffee, 'grinder', `visitor_b_${tag}`, two)).status).toBe(200);
    // Under a larger quota the new visitor is answered.
    expect((await ask(coffee, 'coffee', `visitor_c_${tag}`, { PLANS: plansWithStores(2, 3) })).status).toBe(200);
  });

  it('refuses every widget conversation when the owner’s plan includes none', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee);
    const res = await ask(coffee, 'coffee', `visitor_none_${Date.now().toString(36)}`, { PLANS: plansWithStores(1, 0) });
    expect(res.status).toBe(429);
  });

  it('searches by keyword and by meaning once an embedder is configured, embedding only what changed on a re-sync', async () => {
    const owner = await newAccount();
    const first = await json(await register(owner.token, coffee, 'owner@shop.example', withVectors));
    expect(first.search).toMatchObject({ mode: 'keyword+vector', model: 'openai:trigram-test-double', pending: 0, note: null });
    expect(first.search.vectors).toBeGreaterThanOrEqual(first.products + first.passages - 1);
    expect(first.search.floor).toBeGreaterThan(0);
    // Re-synced with nothing changed in the store: nothing is embedded again.
    const again = await json(await call(`/v1/shopify/stores/${encodeURIComponent(coffee)}/sync`, { method: 'POST', token: owner.token, envOverrides: { ...local, ...withVectors } }));
    expect(again.search).toMatchObject({ mode: 'keyword+vector', embedded: 0, vectors: first.search.vectors });

    // Misspelt: no word of it is in the keyword index, so only the vector path can find the grinder.
    const misspelt = 'cofee grindr';
    const byKeyword = await json(await ask(coffee, misspelt));
    expect(byKeyword.handoff).toEqual({ email: 'owner@shop.example' });
    const byMeaning = await json(await ask(coffee, misspelt, undefined, withVectors));
    expect(byMeaning.products.map((p: { title: string }) => p.title)).toContain('Burr Coffee Grinder');
    expect(byMeaning.handoff).toBeNull();
    // Nonsense stays under the store's calibrated floor: handed off, not the nearest product.
    const nonsense = await json(await ask(coffee, 'zqxv plorbtangle wuzzock', undefined, withVectors));
    expect(nonsense.products).toEqual([]);
    expect(nonsense.handoff).toEqual({ email: 'owner@shop.example' });

    const status = await json(await call(`/v1/shopify/stores/${encodeURIComponent(coffee)}/turns`, { token: owner.token, envOverrides: { ...local, ...withVectors } }));
    expect(status.search).toMatchObject({ mode: 'keyword+vector', model: 'openai:trigram-test-double' });
    const keywordOnly = await json(await call(`/v1/shopify/stores/${encodeURIComponent(coffee)}/turns`, { token: owner.token, envOverrides: local }));
    expect(keywordOnly.search).toMatchObject({ mode: 'keyword', note: expect.stringContaining('no embedding model configured') });
  });

  it('never returns the other store’s items by meaning either', async () => {
    const owner = await newAccount();
    await register(owner.token, coffee, 'owner@shop.example', withVectors);
    await register(owner.token, electro, 'help@electro.example', withVectors);
    // Each store finds its own products by meaning…
    const microwave = await json(await ask(electro, 'panasonc microwve', undefined, withVectors));
    expect(microwave.products[0].title).toContain('Panasonic');
    const maker = await json(await ask(coffee, 'ratio eigth cofee', undefined, withVectors));
    expect(maker.products.map((p: { title: string }) => p.title)).toContain('Ratio Eight');
    // …and asked for the other store's products (misspelt, so only meaning could reach them), never
    // shows them: at most its own items, on its own origin.
    for (const [store, question, foreign] of [
      [coffee, 'panasonc microwve 800w', /Panasonic|Roborock/],
      [coffee, 'roborok robot vacum', /Panasonic|Roborock/],
      [electro, 'ratio eigth cofee maker', /Ratio Eight|Grinder/],
      [electro, 'burr cofee grindr', /Ratio Eight|Grinder/],
    ] as const) {
      const answer = await json(await ask(store, question, undefined, withVectors));
      expect(JSON.stringify(answer)).not.toMatch(foreign);
      expect(answer.products.every((p: { url: string }) => p.url.startsWith(`http://${store}/`))).toBe(true);
    }
  });
});
