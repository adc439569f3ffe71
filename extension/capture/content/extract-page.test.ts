import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { countElements, extractPage, tidyText } from './extract-page';

// Real pages from Mozilla Readability's test corpus (Apache-2.0, see fixtures/web-pages/SOURCE.txt).
const fixture = (name: string, file: string) => readFileSync(resolve(import.meta.dirname, 'fixtures/web-pages', name, file), 'utf8');
// linkedom: a fast DOM that, unlike happy-dom, doesn't try (and log failing) to fetch each stylesheet and iframe.
const parse = (html: string) => parseHTML(html).document as unknown as Document;
// extractPage never changes the document it reads (tested below), so each fixture is parsed once.
const parsed = new Map<string, Document>();
const page = (name: string) => {
  if (!parsed.has(name)) parsed.set(name, parse(fixture(name, 'source.html')));
  return parsed.get(name)!;
};

describe('extractPage on real pages', () => {
  it.each(['nytimes-1', 'medium-2', 'ietf-1', 'lemonde-1'])('%s: clean article text and metadata', (name) => {
    const expected = JSON.parse(fixture(name, 'expected-metadata.json')) as { title: string; byline: string | null; lang: string | null };
    const result = extractPage(page(name));
    expect('page' in result, JSON.stringify(result)).toBe(true);
    if (!('page' in result)) return;
    const { page: extracted } = result;
    expect(extracted.title).toBe(expected.title);
    if (expected.byline) expect(extracted.byline).toBe(expected.byline);
    expect(extracted.text.length).toBeGreaterThan(500);
    expect(extracted.text).not.toMatch(/<\/?(p|div|script|style)\b/i);
    expect(extracted.text).not.toMatch(/[^\S\n]{2,}|\n{3,}/); // whitespace tidied
    expect(extracted.truncated).toBe(false);
  });

  it('nytimes-1: the text is the article, not the page chrome', () => {
    const result = extractPage(page('nytimes-1'));
    if (!('page' in result)) throw new Error('not extracted');
    expect(result.page.text).toContain('Sudan');
    expect(result.page.text).not.toMatch(/function\s*\(/);
  });

  it('caps long text and says so', () => {
    const result = extractPage(page('ietf-1'), { maxChars: 1_000 });
    if (!('page' in result)) throw new Error('not extracted');
    expect(result.page.text).toHaveLength(1_000);
    expect(result.page.truncated).toBe(true);
  });

  it('skips documents past the element cap, and large pages that are not articles', () => {
    expect(extractPage(page('mozilla-2'), { maxElements: 50 })).toEqual({ skipped: 'too-large' });
    const cells = Array.from({ length: 2_000 }, (_, i) => `<div class="cell"><span>item ${i}</span></div>`).join('');
    expect(extractPage(parse(`<html><head><title>Dashboard</title></head><body><nav><a href="/">Home</a></nav>${cells}</body></html>`))).toEqual({ skipped: 'not-readable' });
  });

  it('counts elements only up to the limit', () => {
    const doc = parse(`<html><body>${'<div><span>x</span></div>'.repeat(500)}</body></html>`);
    expect(countElements(doc, 10_000)).toBe(doc.querySelectorAll('*').length);
    expect(countElements(doc, 100)).toBe(101);
  });

  it('reads small pages even when they are not articles', () => {
    // Readability's corpus marks this landing page not readerable; it is small, so its text is kept.
    expect(JSON.parse(fixture('mozilla-2', 'expected-metadata.json')).readerable).toBe(false);
    const landing = extractPage(page('mozilla-2'));
    if (!('page' in landing)) throw new Error(JSON.stringify(landing));
    expect(landing.page.title).toBe('Welcome to Firefox Developer Edition');
    const note = extractPage(parse('<!doctype html><html><head><title>Note</title></head><body><main><p>Tide tables for the harbour.</p></main></body></html>'));
    expect(note).toMatchObject({ page: { title: 'Note', text: 'Tide tables for the harbour.' } });
  });

  it('does not touch the live document', () => {
    const doc = page('medium-2');
    const before = doc.documentElement.outerHTML;
    extractPage(doc);
    expect(doc.documentElement.outerHTML).toBe(before);
  });
});

describe('tidyText', () => {
  it('collapses runs of spaces and blank lines', () => {
    expect(tidyText('  a \t b\r\n\r\n\r\n\n  c  \n d ')).toBe('a b\n\nc\nd');
  });
});
