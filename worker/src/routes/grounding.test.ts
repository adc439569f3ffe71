import { beforeEach, describe, expect, inject, it } from 'vitest';
import { ImageResponse, WebSearchResponse } from '../../../shared/schemas/web-search';
import { call, json, newAccount, plansWithFreeLimit, resetDb, type Account } from '../../test/helpers';
import { BRAVE_TEST_KEY, type WebLogEntry } from '../../test/web-test-double';
import type { Env } from '../env';

// The web here is the loopback web TEST DOUBLE (test/web-test-double.ts): a SearXNG-shaped and a
// Brave-shaped search API, a robots.txt, result pages and an OpenAI-shaped images endpoint.
const web = inject('webBaseUrl');
const searxng: Partial<Env> = { SEARXNG_URL: `${web}/searxng`, WEB_SEARCH_PROVIDER: '' };
const brave: Partial<Env> = { BRAVE_SEARCH_KEY: BRAVE_TEST_KEY, BRAVE_SEARCH_BASE: web, WEB_SEARCH_PROVIDER: 'brave' };
const images: Partial<Env> = { OPENAI_IMAGES_BASE_URL: `${web}/v1`, OPENAI_IMAGES_MODEL: 'double-image-1', OPENAI_IMAGES_API_KEY: 'sk-test-double', PLANS: JSON.stringify(plansWithFreeLimit('images', 5)) };

let a: Account;
beforeEach(async () => {
  await resetDb();
  await fetch(`${web}/__down?on=0`, { method: 'POST' });
  a = await newAccount();
});

async function webLog(): Promise<WebLogEntry[]> {
  return (await fetch(`${web}/__log`)).json();
}
const searchCalls = async () => (await webLog()).filter((e) => e.path.endsWith('/search'));
const usage = async (token: string) => json(await call('/v1/usage', { token }));
const used = async (token: string, key: string) => (await usage(token)).usage.find((u: { key: string }) => u.key === key).used as number;

function search(q: string, envOverrides: Partial<Env>, token = a.token, count?: number) {
  return call('/v1/web-search', { method: 'POST', token, json: { q, ...(count ? { count } : {}) }, envOverrides });
}

describe('POST /v1/web-search', () => {
  it('searches SearXNG, reads the top three pages (robots.txt obeyed) and answers the shared schema', async () => {
    const q = `octopus learning ${Date.now()}`;
    const res = await search(q, searxng);
    expect(res.status).toBe(200);
    const body = WebSearchResponse.parse(await json(res));
    expect(body.provider).toBe('searxng');
    expect(body.cached).toBe(false);
    // The ftp:// hit is dropped; ranks are 1-based and contiguous.
    expect(body.results.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(body.results[0]!.title).toContain(q);
    expect(body.results[0]!.snippet).toBe('Octopuses solve puzzles & open jars.');
    expect(body.results[0]!.text).toContain('Two thirds of an octopus’s neurons sit in its arms');
    expect(body.results[0]!.text).not.toContain('SCRIPT_NOISE');
    expect(body.results[1]!.text).toContain('chromatophores');
    // Disallowed by robots.txt: never fetched, snippet only.
    expect(body.results[2]!.text).toBeUndefined();
    // Fourth: beyond the top three, not fetched.
    expect(body.results[3]!.text).toBeUndefined();
    const paths = (await webLog()).map((e) => e.path);
    expect(paths).toContain('/robots.txt');
    expect(paths).not.toContain('/pages/private');
    expect(paths).not.toContain('/pages/fourth');
    const call1 = (await searchCalls()).at(-1)!;
    expect(call1.query).toMatchObject({ q, format: 'json' });
    expect(await used(a.token, 'webSearches')).toBe(1);
  });

  it('answers a repeated query from the cache without calling the provider or spending quota', async () => {
    const q = `cached query ${Date.now()}`;
    expect((await search(q, searxng)).status).toBe(200);
    const before = (await searchCalls()).length;
    const again = WebSearchResponse.parse(await json(await search(`  ${q.toUpperCase()} `, searxng)));
    expect(again.cached).toBe(true);
    expect(again.results[0]!.text).toContain('octopus');
    expect((await searchCalls()).length).toBe(before);
    expect(await used(a.token, 'webSearches')).toBe(1);
    // A TTL of zero turns the cache off: the provider is asked again, and the search is spent.
    const fresh = WebSearchResponse.parse(await json(await search(q, { ...searxng, WEB_SEARCH_CACHE_TTL_SECONDS: '0' })));
    expect(fresh.cached).toBe(false);
    expect((await searchCalls()).length).toBe(before + 1);
    expect(await used(a.token, 'webSearches')).toBe(2);
  });

  it('uses the Brave Search API with its subscription token and count', async () => {
    const q = `brave ${Date.now()}`;
    const body = WebSearchResponse.parse(await json(await search(q, brave, a.token, 2)));
    expect(body.provider).toBe('brave');
    expect(body.results).toHaveLength(2);
    expect(body.results[0]!.text).toContain('octopus');
    expect((await searchCalls()).at(-1)!).toMatchObject({ path: '/res/v1/web/search', query: { q, count: '2' } });
    const wrongKey = await search(`${q} x`, { ...brave, BRAVE_SEARCH_KEY: 'wrong' });
    expect(wrongKey.status).toBe(502);
    expect((await json(wrongKey)).error.message).toContain('HTTP 401');
  });

  it('without a provider answers 503 provider_unavailable saying how to configure one', async () => {
    const res = await search('anything', { SEARXNG_URL: '', BRAVE_SEARCH_KEY: '', WEB_SEARCH_PROVIDER: '' });
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.error.code).toBe('provider_unavailable');
    expect(body.error.message).toMatch(/SEARXNG_URL|BRAVE_SEARCH_KEY/);
    expect(await used(a.token, 'webSearches')).toBe(0);
  });

  it('gives the quota back when the provider fails, and refuses past the plan limit', async () => {
    await fetch(`${web}/__down?on=1`, { method: 'POST' });
    const failed = await search(`down ${Date.now()}`, searxng);
    expect(failed.status).toBe(502);
    expect((await json(failed)).error.code).toBe('provider_error');
    expect(await used(a.token, 'webSearches')).toBe(0);
    await fetch(`${web}/__down?on=0`, { method: 'POST' });
    const limited = { ...searxng, PLANS: JSON.stringify(plansWithFreeLimit('webSearches', 1)) };
    expect((await search(`one ${Date.now()}`, limited)).status).toBe(200);
    const refused = await search(`two ${Date.now()}`, limited);
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe('quota_exceeded');
  });

  it('rejects bad input and unauthenticated calls', async () => {
    expect((await call('/v1/web-search', { method: 'POST', json: { q: 'x' }, envOverrides: searxng })).status).toBe(401);
    expect((await search('', searxng)).status).toBe(400);
    expect((await call('/v1/web-search', { method: 'POST', token: a.token, json: { q: 'x', count: 50 }, envOverrides: searxng })).status).toBe(400);
    expect((await call('/v1/web-search', { method: 'POST', token: a.token, json: { q: 'x'.repeat(401) }, envOverrides: searxng })).status).toBe(400);
  });
});

function image(payload: unknown, envOverrides: Partial<Env>, token = a.token) {
  return call('/v1/image', { method: 'POST', token, json: payload, envOverrides });
}

describe('POST /v1/image', () => {
  it('generates n PNG images through an OpenAI-compatible endpoint and spends n images', async () => {
    const res = await image({ prompt: 'an illustration of an octopus opening a jar', n: 3, size: '512x512' }, images);
    expect(res.status).toBe(200);
    const body = ImageResponse.parse(await json(res));
    expect(body.model).toBe('double-image-1');
    expect(body.images).toHaveLength(3);
    for (const img of body.images) {
      const bytes = Uint8Array.from(atob(img.base64), (ch) => ch.charCodeAt(0));
      expect(Array.from(bytes.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(new TextDecoder().decode(bytes.slice(12, 16))).toBe('IHDR');
      expect(img.mimeType).toBe('image/png');
    }
    expect(new Set(body.images.map((i) => i.base64)).size).toBe(3);
    const sent = (await webLog()).filter((e) => e.path === '/v1/images/generations').at(-1)!;
    expect(sent.body).toMatchObject({ model: 'double-image-1', n: 3, size: '512x512', response_format: 'b64_json' });
    expect(res.headers.get('x-usage')).toBe('images=3/5');
    expect(await used(a.token, 'images')).toBe(3);
  });

  it('refuses on Free (no images in the plan) and past the quota, spending nothing', async () => {
    const free = await image({ prompt: 'a cat', n: 1 }, { ...images, PLANS: '' });
    expect(free.status).toBe(429);
    expect((await json(free)).error.code).toBe('quota_exceeded');
    const over = await image({ prompt: 'a cat', n: 4 }, { ...images, PLANS: JSON.stringify(plansWithFreeLimit('images', 3)) });
    expect(over.status).toBe(429);
    expect(await used(a.token, 'images')).toBe(0);
  });

  it('gives the quota back when the provider fails or returns something that is not a PNG', async () => {
    await fetch(`${web}/__down?on=1`, { method: 'POST' });
    const down = await image({ prompt: 'a cat', n: 2 }, images);
    expect(down.status).toBe(502);
    await fetch(`${web}/__down?on=0`, { method: 'POST' });
    const notPng = await image({ prompt: 'a cat', n: 1 }, { ...images, OPENAI_IMAGES_BASE_URL: `${web}/bad-images/v1` });
    expect(notPng.status).toBe(502);
    expect((await json(notPng)).error.message).toContain('not a PNG or JPEG');
    expect(await used(a.token, 'images')).toBe(0);
  });

  it('passes a refused prompt on as 422 with the provider’s reason, spending nothing', async () => {
    const refused = await image({ prompt: 'something forbidden', n: 2 }, images);
    expect(refused.status).toBe(422);
    const body = await json(refused);
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.message).toContain('refused this prompt: Your request was rejected');
    expect(await used(a.token, 'images')).toBe(0);
  });

  it('answers 503 without a configured provider, and 400 for bad input', async () => {
    const none = await image({ prompt: 'a cat', n: 1 }, { ...images, OPENAI_IMAGES_BASE_URL: '', AI: undefined });
    expect(none.status).toBe(503);
    expect((await json(none)).error.code).toBe('provider_unavailable');
    expect((await image({ prompt: 'a cat', n: 5 }, images)).status).toBe(400);
    expect((await image({ prompt: '', n: 1 }, images)).status).toBe(400);
    expect((await image({ prompt: 'a cat', n: 1, size: '9x9' }, images)).status).toBe(400);
  });
});
