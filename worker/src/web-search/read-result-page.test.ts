import { describe, expect, inject, it } from 'vitest';
import { readableText, readResultPage, robotsAllow } from './read-result-page';
import { BraveProvider, SearxngProvider, selectSearchProvider } from './providers';
import type { Env } from '../env';

// Pages come from the loopback web TEST DOUBLE (test/web-test-double.ts).
const web = inject('webBaseUrl');

describe('reading result pages', () => {
  it('keeps the article text and drops scripts and navigation', () => {
    const html = `<html><head><script>var x = "SCRIPT_NOISE"</script></head><body><nav>Home About</nav><article><h1>T</h1><p>${'The arms of an octopus hold most of its neurons. '.repeat(6)}</p></article></body></html>`;
    const text = readableText(html, 'https://example.test/a')!;
    expect(text).toContain('The arms of an octopus hold most of its neurons.');
    expect(text).not.toContain('SCRIPT_NOISE');
  });

  it('obeys robots.txt and skips pages over the size limit or missing', async () => {
    expect(await robotsAllow(`${web}/pages/article`, AbortSignal.timeout(5000))).toBe(true);
    expect(await robotsAllow(`${web}/pages/private`, AbortSignal.timeout(5000))).toBe(false);
    expect(await readResultPage(`${web}/pages/private`, 5000)).toBeNull();
    expect(await readResultPage(`${web}/pages/huge`, 5000)).toBeNull();
    expect(await readResultPage(`${web}/pages/missing`, 5000)).toBeNull();
    expect(await readResultPage(`${web}/pages/second`, 5000)).toContain('chromatophores');
  });
});

describe('choosing a search provider', () => {
  const env = (vars: Partial<Env>) => vars as Env;
  it('prefers the one named, else SearXNG, else Brave, else 503', () => {
    expect(selectSearchProvider(env({ SEARXNG_URL: 'http://s', BRAVE_SEARCH_KEY: 'k' }))).toBeInstanceOf(SearxngProvider);
    expect(selectSearchProvider(env({ SEARXNG_URL: 'http://s', BRAVE_SEARCH_KEY: 'k', WEB_SEARCH_PROVIDER: 'brave' }))).toBeInstanceOf(BraveProvider);
    expect(selectSearchProvider(env({ BRAVE_SEARCH_KEY: 'k' }))).toBeInstanceOf(BraveProvider);
    expect(() => selectSearchProvider(env({ SEARXNG_URL: 'http://s', WEB_SEARCH_PROVIDER: 'none' }))).toThrow(/not configured/);
    expect(() => selectSearchProvider(env({ WEB_SEARCH_PROVIDER: 'bing' }))).toThrow(/unknown WEB_SEARCH_PROVIDER/);
    expect(() => selectSearchProvider(env({}))).toThrow(/SEARXNG_URL/);
  });
});
