import { beforeEach, describe, expect, inject, it } from 'vitest';
import { searchWebReferences } from '../../../extension/assistant/actions/web-references';
import { call, newAccount, resetDb, type Account } from '../../test/helpers';
import type { Env } from '../env';

// The extension's "Find references" web client (extension/assistant/actions/web-references.ts) against
// this worker's real POST /v1/web-search, whose web is the loopback web TEST DOUBLE (SearXNG-shaped).
const web = inject('webBaseUrl');
const searxng: Partial<Env> = { SEARXNG_URL: `${web}/searxng`, WEB_SEARCH_PROVIDER: '' };
const none: Partial<Env> = { SEARXNG_URL: '', BRAVE_SEARCH_KEY: '', WEB_SEARCH_PROVIDER: '' };

/** The client's fetch, routed into the worker app with the given configuration. */
function workerFetch(envOverrides: Partial<Env>, seen: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push(url.pathname);
    return call(url.pathname, { method: init?.method, headers: init?.headers, body: init?.body, envOverrides });
  }) as typeof fetch;
}

let a: Account;
beforeEach(async () => {
  await resetDb();
  await fetch(`${web}/__down?on=0`, { method: 'POST' });
  a = await newAccount();
});

describe('Find references on the web, through the worker', () => {
  const paired = () => ({ privacy: 'allow-worker' as const, baseUrl: 'http://worker.test', token: a.token });

  it('turns the worker’s results into sources labelled as web, with the pages’ text', async () => {
    const outcome = await searchWebReferences(`octopus  arms\nneurons ${Date.now()}`, paired(), { fetch: workerFetch(searxng) });
    expect(outcome.status).toBe('found');
    if (outcome.status !== 'found') return;
    expect(outcome.provider).toBe('searxng');
    expect(outcome.sources.length).toBeGreaterThan(0);
    expect(outcome.sources.every((s) => s.kind === 'web' && s.title.startsWith('Web: ') && /^https?:\/\//.test(s.url))).toBe(true);
    expect(outcome.sources[0]!.text).toContain('Two thirds of an octopus’s neurons sit in its arms');
    expect(outcome.message).toMatch(/searched the web through your worker: \d+ web results \(searxng\)/);
  });

  it('says plainly when the worker has no search provider', async () => {
    const outcome = await searchWebReferences('octopus', paired(), { fetch: workerFetch(none) });
    expect(outcome).toMatchObject({ status: 'no-provider' });
    expect(outcome.message).toMatch(/^The web was not searched: your worker has no web search provider configured/);
    expect(outcome.message).toMatch(/SEARXNG_URL|BRAVE_SEARCH_KEY/);
  });

  it('sends nothing under “local only” or without a paired worker, and reports a refused token', async () => {
    const seen: string[] = [];
    expect((await searchWebReferences('octopus', { ...paired(), privacy: 'local-only' }, { fetch: workerFetch(searxng, seen) })).status).toBe('local-only');
    expect((await searchWebReferences('octopus', { ...paired(), token: null }, { fetch: workerFetch(searxng, seen) })).status).toBe('unpaired');
    expect(seen).toEqual([]);
    const refused = await searchWebReferences('octopus', { ...paired(), token: 'not-a-token' }, { fetch: workerFetch(searxng, seen) });
    expect(refused).toMatchObject({ status: 'failed', message: expect.stringContaining('HTTP 401') });
  });
});
