import { describe, expect, it } from 'vitest';
import { requestImages, type ImageWorkerConfig } from './image-client';

// A real PNG header (8×8 pixels is all the client needs to see: it only validates the shape).
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';
const paired: ImageWorkerConfig = { privacy: 'allow-worker', baseUrl: 'http://127.0.0.1:8787', token: 'tok-123' };

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const apiError = (status: number, code: string, message: string) => json(status, { error: { code, message, requestId: 'r1' } });

describe('requestImages (the worker’s /v1/image)', () => {
  it('sends only the prompt, count and size, with the device token, and returns the validated images', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { model: 'double-image-1', images: [{ mimeType: 'image/png', base64: PNG_B64 }, { mimeType: 'image/png', base64: PNG_B64 }] }));
    const result = await requestImages({ prompt: '  a lighthouse at dusk ', n: 2, size: '512x512' }, { config: async () => paired, fetch });
    expect(result).toEqual({ ok: true, model: 'double-image-1', images: [{ mimeType: 'image/png', base64: PNG_B64 }, { mimeType: 'image/png', base64: PNG_B64 }] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:8787/v1/image');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ prompt: 'a lighthouse at dusk', n: 2, size: '512x512' });
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok-123');
  });

  it('“local only” sends nothing and says why; so does a browser not paired with a worker', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    const local = await requestImages({ prompt: 'a cat', n: 1 }, { config: async () => ({ ...paired, privacy: 'local-only' }), fetch });
    expect(local).toMatchObject({ ok: false, code: 'privacy' });
    expect(local.ok || local.message).toMatch(/local only.*nothing is sent/);
    const unpaired = await requestImages({ prompt: 'a cat', n: 1 }, { config: async () => ({ ...paired, baseUrl: null, token: null }), fetch });
    expect(unpaired).toMatchObject({ ok: false, code: 'no-worker' });
    expect(calls).toHaveLength(0);
  });

  it('bad input is refused before anything is sent', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    expect(await requestImages({ prompt: '   ', n: 1 }, { config: async () => paired, fetch })).toMatchObject({ ok: false, code: 'refused' });
    expect(await requestImages({ prompt: 'a cat', n: 5 }, { config: async () => paired, fetch })).toMatchObject({ ok: false, code: 'refused' });
    expect(calls).toHaveLength(0);
  });

  it.each([
    [429, 'quota_exceeded', 'images quota used', 'quota', /quota is used up.*images quota used.*prompt is kept/],
    [402, 'payment_required', 'pay first', 'quota', /quota is used up/],
    [422, 'unprocessable', 'the images endpoint refused this prompt: rejected by the safety system', 'refused', /refused this prompt.*safety system.*Change the prompt/],
    [400, 'bad_request', 'invalid request: prompt', 'refused', /refused this prompt/],
    [401, 'unauthorized', 'bad token', 'unauthorized', /sign in to sync again/],
    [503, 'provider_unavailable', 'image generation is not configured', 'unavailable', /no image service/],
    [502, 'provider_error', 'the images endpoint answered HTTP 500', 'failed', /HTTP 502.*answered HTTP 500.*prompt is kept/],
  ])('HTTP %i is told in words (%s)', async (status, code, message, failure, words) => {
    const { fetch } = fakeFetch(() => apiError(status, code, message));
    const result = await requestImages({ prompt: 'a cat', n: 1 }, { config: async () => paired, fetch });
    expect(result).toMatchObject({ ok: false, code: failure });
    expect(result.ok ? '' : result.message).toMatch(words);
  });

  it('a worker that is down, or that answers something that is not images, is a failure in words', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const result = await requestImages({ prompt: 'a cat', n: 1 }, { config: async () => paired, fetch: down.fetch });
    expect(result).toMatchObject({ ok: false, code: 'network' });
    expect(result.ok ? '' : result.message).toMatch(/Could not reach your worker at http:\/\/127\.0\.0\.1:8787.*prompt is kept/);
    const junk = fakeFetch(() => json(200, { images: [{ mimeType: 'image/gif', base64: 'R0lGOD' }], model: 'x' }));
    expect(await requestImages({ prompt: 'a cat', n: 1 }, { config: async () => paired, fetch: junk.fetch })).toMatchObject({ ok: false, code: 'failed' });
  });
});
