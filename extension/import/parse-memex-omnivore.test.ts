import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { Highlight, Page } from '@shared/schemas/records';
import { htmlToText } from './html-text';
import { importRecords } from './import-records';
import { parseMemex } from './parse-memex';
import { parseOmnivore } from './parse-omnivore';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('Memex', () => {
  const parsed = parseMemex(fixture('memex-export.json'));

  it('maps annotations to highlights: HTML body as text, note, tags of the annotation and its page, original dates', () => {
    expect(parsed.highlights).toHaveLength(2);
    const h = parsed.highlights.find((x) => x.url === 'https://example.org/essays/attention')!;
    expect(Highlight.parse(h)).toEqual(h);
    expect(h.text).toBe('Attention is the scarcest resource a reader has');
    expect(h.note).toBe('The core claim.\n\n#reading #essays');
    expect(h.pageTitle).toBe('On Attention');
    expect(h.createdAt).toBe(1741000000000);
    expect(h.updatedAt).toBe(Date.parse('2025-03-04T10:00:00.000Z'));
  });

  it('imports the text Memex kept for a page, dated by its first visit, and says what it skipped and why', () => {
    const byUrl = new Map(parsed.pages.map((p) => [p.url, p]));
    expect(byUrl.get('https://example.org/essays/attention')!.text).toMatch(/^Attention is the scarcest resource/);
    expect(byUrl.get('https://example.org/essays/attention')!.capturedAt).toBe(1740996000000);
    // A visited page without highlights, dated by its earliest visit.
    expect(byUrl.get('https://news.example.net/river')).toMatchObject({ title: 'The river report', capturedAt: 1741000000000 });
    // A page with no text keeps its highlight's passage.
    expect(byUrl.get('https://blog.example.com/notes/tides')!.text).toContain('The moon pulls');
    for (const p of parsed.pages) expect(Page.parse(p)).toEqual(p);
    expect(parsed.skipped.map((s) => s.reason).sort()).toEqual([
      'annotation has no id (url)',
      'no visit or highlight date for this page',
      'page note without highlighted text',
      'unparseable date',
    ]);
  });

  it('reads a Dexie export of the Memex database too, and refuses what is not one', () => {
    const tables = JSON.parse(fixture('memex-export.json')) as Record<string, unknown[]>;
    const dexie = { formatName: 'dexie', formatVersion: 1, data: { databaseName: 'memex', data: Object.entries(tables).map(([tableName, rows]) => ({ tableName, inbound: true, rows })) } };
    const again = parseMemex(JSON.stringify(dexie));
    expect(again.highlights.map((h) => h.id).sort()).toEqual(parsed.highlights.map((h) => h.id).sort());
    expect(() => parseMemex('{"hello": 1}')).toThrow(/Not a Memex export/);
    expect(() => parseMemex('not json')).toThrow(/not JSON/);
  });
});

describe('Omnivore', () => {
  it('maps the export metadata to pages dated when saved, skipping items without a web address', () => {
    const parsed = parseOmnivore(fixture('omnivore-metadata.json'));
    expect(parsed.highlights).toHaveLength(0);
    expect(parsed.pages).toHaveLength(1);
    expect(parsed.pages[0]).toMatchObject({
      url: 'https://example.org/essays/attention',
      title: 'On Attention',
      byline: 'A. Writer',
      excerpt: 'An essay about reading slowly.',
      capturedAt: Date.parse('2024-10-30T12:39:28.023Z'),
      updatedAt: Date.parse('2024-10-31T08:00:00.000Z'),
    });
    expect(parsed.skipped).toEqual([{ item: 'An uploaded file', reason: 'saved item has no web address' }]);
  });

  it('maps API items: highlights with note, affixes, labels and dates; the article text from its HTML', () => {
    const parsed = parseOmnivore(fixture('omnivore-api.json'));
    expect(parsed.highlights).toHaveLength(1);
    const h = parsed.highlights[0]!;
    expect(h).toMatchObject({ url: 'https://blog.example.com/notes/tides', text: 'The moon pulls the near side of the ocean harder than the far side.', note: 'Tidal force.\n\n#science #physics', createdAt: Date.parse('2024-09-01T10:00:00.000Z'), updatedAt: Date.parse('2024-09-01T10:05:00.000Z') });
    expect(h.selectors[0]).toMatchObject({ type: 'TextQuoteSelector', suffix: ' So there' });
    const page = parsed.pages[0]!;
    expect(page.text).toBe('Why the tides\n\nThe moon pulls the near side of the ocean harder than the far side.\n\nSo there are two bulges.');
    expect(page.capturedAt).toBe(Date.parse('2024-09-01T09:00:00.000Z'));
    expect(parsed.skipped).toEqual([{ item: 'A note on the whole article', reason: 'note without highlighted text' }]);
  });

  it('refuses a file that is not an Omnivore export', () => {
    expect(() => parseOmnivore('{"rows": []}')).toThrow(/Not an Omnivore export/);
  });
});

describe('re-import', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb('import-memex-omnivore');
  });
  afterEach(() => dropTestDb(db));

  it('adds nothing the second time (Memex and Omnivore)', async () => {
    for (const [parse, file] of [
      [parseMemex, 'memex-export.json'],
      [parseOmnivore, 'omnivore-api.json'],
    ] as const) {
      const first = await importRecords(parse(fixture(file)), db);
      expect(first.highlights + first.pages).toBeGreaterThan(0);
      const again = await importRecords(parse(fixture(file)), db);
      expect(again).toMatchObject({ highlights: 0, pages: 0 });
    }
    // Both exports name the tides page: the second import found it already there.
    expect(await db.pages.count()).toBe(3);
  });
});

describe('htmlToText', () => {
  it('keeps block breaks, drops scripts, decodes entities, and leaves plain text alone', () => {
    expect(htmlToText('<p>a &amp; b</p><p>c<br>d</p><style>x{}</style>')).toBe('a & b\n\nc\nd');
    expect(htmlToText('  plain text ')).toBe('plain text');
  });
});
