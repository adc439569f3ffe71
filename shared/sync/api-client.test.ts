import { describe, expect, it } from 'vitest';
import { CloudApiError, CloudClient } from './api-client';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

function fakeFetch(handler: Handler): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => handler(new URL(String(input)), init ?? {})) as typeof fetch;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('CloudClient', () => {
  it('sends the bearer token and parses pull pages', async () => {
    let seen: { url: string; auth: string | null } | undefined;
    const client = new CloudClient({
      baseUrl: 'http://127.0.0.1:8787',
      token: 'clt_x',
      fetch: fakeFetch((url, init) => {
        seen = { url: url.pathname + url.search, auth: new Headers(init.headers).get('authorization') };
        return json(200, { records: [], cursor: 'c5', hasMore: false, serverHlc: '001764000000000-00000-server' });
      }),
    });
    const page = await client.pull({ cursor: 'c4', limit: 100, vectors: true });
    expect(page.cursor).toBe('c5');
    expect(seen).toEqual({ url: '/v1/sync/pull?cursor=c4&limit=100&vectors=1', auth: 'Bearer clt_x' });
  });

  it('turns worker errors into CloudApiError with code, retryability and Retry-After', async () => {
    const client = new CloudClient({
      baseUrl: 'http://w',
      fetch: fakeFetch(() => json(429, { error: { code: 'rate_limited', message: 'too many', requestId: 'r' } }, { 'retry-after': '7' })),
    });
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 7, retryable: true, signedOut: false });

    const revoked = new CloudClient({ baseUrl: 'http://w', fetch: fakeFetch(() => json(401, { error: { code: 'unauthorized', message: 'signed out', requestId: 'r' } })) });
    expect(await revoked.devices().catch((e: CloudApiError) => [e.signedOut, e.retryable])).toEqual([true, false]);
  });

  it('reports an unreachable worker as a retryable network error', async () => {
    const client = new CloudClient({ baseUrl: 'http://w', fetch: fakeFetch(() => Promise.reject(new TypeError('fetch failed'))) });
    const error = (await client.createAccount('x').catch((e: unknown) => e)) as CloudApiError;
    expect([error.code, error.retryable]).toEqual(['network', true]);
  });

  it('refuses an answer that does not match the contract', async () => {
    const client = new CloudClient({ baseUrl: 'http://w', fetch: fakeFetch(() => json(200, { pushId: 1 })) });
    const error = (await client.push({ pushId: 'push_00000001', changes: [] as never }).catch((e: unknown) => e)) as CloudApiError;
    expect(error.code).toBe('bad_response');
  });
});
