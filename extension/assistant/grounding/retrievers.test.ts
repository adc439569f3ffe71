import { describe, expect, it } from 'vitest';
import type { AskSource } from '@/ai/engines/types';
import type { WebSearchResponse } from '@shared/schemas/web-search';
import { createApiClient } from '@/sync/api-client';
import { memoryRetriever } from './memory-retriever';
import { pageRetriever } from './page-retriever';
import { webRetriever, WebSearchUnavailable } from './web-retriever';

const signal = () => new AbortController().signal;

const PAGE = {
  url: 'https://p.example/volcanoes',
  title: 'Volcanoes',
  text: 'Volcanoes erupt when magma rises through the crust. Lava cools into basalt rock on the surface. Ash clouds can travel thousands of kilometres. Geologists measure gas to forecast eruptions.',
};

describe('page retriever', () => {
  it('returns the page passages sharing the most words with each query, as page passages of origin page', async () => {
    const r = pageRetriever(PAGE, { max: 6 });
    const found = await r.retrieve(['lava basalt', 'ash clouds'], signal());
    expect(r.origin).toBe('page');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.origin === 'page' && p.kind === 'page' && p.url === PAGE.url && p.sourceId === PAGE.url)).toBe(true);
    expect(found.map((p) => p.text).join(' ')).toContain('Lava cools into basalt');
    // Each passage once, best first.
    expect(new Set(found.map((p) => p.id)).size).toBe(found.length);
    expect([...found].sort((a, b) => b.score - a.score)).toEqual(found);
  });
});

describe('memory retriever', () => {
  const highlight: AskSource = { n: 1, id: 'highlight:h1#0', kind: 'highlight', sourceId: 'h1', url: 'https://a.example/', title: 'Tides', site: 'a.example', text: 'The moon pulls the sea.', highlightId: 'h1', note: 'my note' };
  const page: AskSource = { n: 2, id: 'page:https://b.example/#0', kind: 'page', sourceId: 'https://b.example/', url: 'https://b.example/', title: 'Sun', site: 'b.example', text: 'The sun pulls too.' };

  it('runs the hybrid retrieval for every query and merges by passage, keeping the highlight and its note apart', async () => {
    const asked: string[] = [];
    const r = memoryRetriever(async (q) => {
      asked.push(q);
      return q === 'tides' ? [highlight, page] : [page];
    });
    const found = await r.retrieve(['tides', 'sun'], signal());
    expect(asked).toEqual(['tides', 'sun']);
    expect(found.map((p) => p.id)).toEqual(['highlight:h1#0', 'page:https://b.example/#0']);
    expect(found[0]).toMatchObject({ origin: 'memory', kind: 'highlight', highlightId: 'h1', note: 'my note', text: 'The moon pulls the sea.' });
    // The page was first for "sun": it keeps that best score.
    expect(found[1]!.score).toBe(1);
  });

  it('starts no further query once stopped', async () => {
    const controller = new AbortController();
    const asked: string[] = [];
    const r = memoryRetriever(async (q) => {
      asked.push(q);
      controller.abort();
      return [page];
    });
    await r.retrieve(['one', 'two'], controller.signal);
    expect(asked).toEqual(['one']);
  });
});

describe('web retriever', () => {
  const response: WebSearchResponse = {
    provider: 'searxng',
    cached: false,
    results: [
      { n: 1, title: 'Octopus cognition', url: 'http://127.0.0.1:9/pages/article', snippet: 'Octopuses solve puzzles.', text: 'Octopuses solve puzzles and open jars. Two thirds of their neurons sit in the arms. They learn by watching.' },
      { n: 2, title: 'Camouflage', url: 'http://127.0.0.1:9/pages/second', snippet: 'How cuttlefish change colour.' },
    ],
  };

  it('asks the worker once, and turns results into web passages: the fetched page text where present, else the snippet', async () => {
    const calls: unknown[] = [];
    const r = webRetriever(async (request) => {
      calls.push(request);
      return response;
    });
    const found = await r.retrieve(['octopus neurons arms', 'second query'], signal());
    expect(calls).toEqual([{ q: 'octopus neurons arms', count: 5 }]);
    expect(found.every((p) => p.origin === 'web' && p.kind === 'web')).toBe(true);
    const article = found.filter((p) => p.url.endsWith('/article'));
    expect(article.length).toBeGreaterThan(0);
    expect(article.map((p) => p.text).join(' ')).toContain('neurons sit in the arms');
    expect(found.find((p) => p.url.endsWith('/second'))).toMatchObject({ text: 'How cuttlefish change colour.', title: 'Camouflage', sourceId: 'http://127.0.0.1:9/pages/second' });
    // The first result outranks the second.
    expect(Math.max(...article.map((p) => p.score))).toBeGreaterThan(found.find((p) => p.url.endsWith('/second'))!.score);
  });

  it('says in words when the worker has no provider or the quota is used up', async () => {
    const refuse = (code: string, status: number) =>
      webRetriever(async () => {
        throw Object.assign(new Error('web search is not configured on this server'), { code, status });
      });
    await expect(refuse('provider_unavailable', 503).retrieve(['q'], signal())).rejects.toThrow(WebSearchUnavailable);
    await expect(refuse('provider_unavailable', 503).retrieve(['q'], signal())).rejects.toThrow(/the worker has no web search provider/);
    await expect(refuse('quota', 429).retrieve(['q'], signal())).rejects.toThrow(/quota/);
  });
});

describe('web retriever over the worker API client', () => {
  function client(reply: (url: string, init: RequestInit) => Response) {
    const seen: { url: string; init: RequestInit }[] = [];
    const api = createApiClient({
      baseUrl: 'http://127.0.0.1:8787/',
      token: 'device-token',
      fetch: (async (url: string, init: RequestInit) => {
        seen.push({ url, init });
        return reply(url, init);
      }) as typeof fetch,
    });
    return { seen, retriever: webRetriever((request, signal) => api.webSearch(request, signal)) };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('posts the query with the device token and validates the reply with the shared schema', async () => {
    const { seen, retriever } = client(() => json(200, { provider: 'brave', cached: true, results: [{ n: 1, title: 'T', url: 'https://w.example/a', snippet: 'A snippet about tides.' }] }));
    const found = await retriever.retrieve(['tides'], signal());
    expect(seen[0]!.url).toBe('http://127.0.0.1:8787/v1/web-search');
    expect(seen[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ q: 'tides', count: 5 });
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer device-token');
    expect(found).toEqual([expect.objectContaining({ origin: 'web', kind: 'web', url: 'https://w.example/a', text: 'A snippet about tides.' })]);
  });

  it('a worker without a provider (503 provider_unavailable) is said in words; a malformed reply is refused', async () => {
    const none = client(() => json(503, { error: { code: 'provider_unavailable', message: 'web search is not configured on this server', requestId: 'r1' } }));
    await expect(none.retriever.retrieve(['q'], signal())).rejects.toThrow(/the worker has no web search provider \(web search is not configured on this server\)/);
    const bad = client(() => json(200, { results: [{ n: 1, url: 'javascript:alert(1)' }] }));
    await expect(bad.retriever.retrieve(['q'], signal())).rejects.toThrow(/Unexpected answer from \/web-search/);
  });
});
