import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { putRecords } from '@/db/change-log';
import type { Highlight, Page, Search, Visit } from '@shared/schemas/records';
import { EXPORT_SCHEMA_VERSION, exportAll, exportToJson, importAll, parseExport } from './export-json';
import { escapeMarkdown, exportToMarkdown, markdownLink } from './export-markdown';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('export');
});
afterEach(() => dropTestDb(db));

const HOSTILE = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**\n# heading';

const visit: Visit = { id: 'visit-0001', url: 'https://a.test/p', site: 'a.test', title: 'A page', referrer: null, searchId: null, transition: 'load', startedAt: 1, endedAt: 2, activeMs: 1, updatedAt: 2 };
const pageRow: Page = { url: 'https://a.test/p', site: 'a.test', title: HOSTILE, text: 'body', excerpt: '', byline: '', siteName: '', lang: 'en', wordCount: 1, truncated: false, capturedAt: 1_700_000_000_000, updatedAt: 1 };
const searchRow: Search = { id: 'search-0001', engine: 'Bing', query: 'calico <b>lobster</b>', url: 'https://www.bing.com/search?q=calico', site: 'www.bing.com', createdAt: 1_700_000_000_000, updatedAt: 1 };
const hl = (id: string, text: string, note = ''): Highlight => ({
  id, url: 'https://a.test/p', site: 'a.test', pageTitle: HOSTILE, text, color: 'green', note,
  selectors: [{ type: 'TextQuoteSelector', exact: text, prefix: '', suffix: '' }], anchorStatus: 'anchored', createdAt: 1_700_000_000_000, updatedAt: 1,
});

async function seed() {
  await putRecords('visits', [visit], db);
  await putRecords('pages', [pageRow], db);
  await putRecords('searches', [searchRow], db);
  await putRecords('highlights', [hl('hl-000001', 'first quote', HOSTILE), hl('hl-000002', 'second\nquote')], db);
  await putRecords('settings', [{ key: 'denylist', value: ['bank.test'], updatedAt: 1 }], db);
  await putRecords('conversations', [{ id: 'conv-0001', title: 'Tides', scope: 'memory', pageUrl: null, messages: [{ id: 'msg-0001', role: 'user', content: 'why tides?', at: 1 }], createdAt: 1, updatedAt: 1 }], db);
}

describe('JSON export', () => {
  it('round-trips every record table through JSON and back into an empty database', async () => {
    await seed();
    const file = await exportAll(db);
    expect(file.schemaVersion).toBe(EXPORT_SCHEMA_VERSION);
    expect(file.highlights).toHaveLength(2);
    expect(file.conversations.map((c) => c.title)).toEqual(['Tides']);
    const parsed = parseExport(exportToJson(file));
    expect(parsed).toEqual(file);

    const other = await openTestDb('import');
    try {
      expect(await importAll(parsed, other)).toBe(7);
      const again = await exportAll(other);
      expect({ ...again, exportedAt: 0 }).toEqual({ ...file, exportedAt: 0 });
      expect(await other.changes.count()).toBe(7); // imported through the change log
    } finally {
      await dropTestDb(other);
    }
  });

  it('rejects files of another format or version', () => {
    expect(() => parseExport(JSON.stringify({ format: 'other' }))).toThrow();
    expect(() => parseExport('{"format":"calicolobster-export","schemaVersion":99}')).toThrow();
  });
});

describe('Markdown export', () => {
  it('groups highlights by page with notes, then pages and searches', async () => {
    await seed();
    const md = exportToMarkdown(await exportAll(db));
    const h = md.indexOf('## Highlights');
    const p = md.indexOf('## Pages visited');
    const s = md.indexOf('## Searches');
    expect(h).toBeGreaterThan(-1);
    expect(p).toBeGreaterThan(h);
    expect(s).toBeGreaterThan(p);
    expect(md.match(/^### /gm)).toHaveLength(1); // both highlights under one page
    expect(md).toContain('> first quote');
    expect(md).toContain('> second\n> quote');
    expect(md).toContain('Note: ');
    expect(md).toContain('Bing: [calico &lt;b&gt;lobster&lt;/b&gt;](<https://www.bing.com/search?q=calico>)');
  });

  it('escapes hostile text so it renders as text', async () => {
    await seed();
    const md = exportToMarkdown(await exportAll(db));
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('](javascript');
    expect(md).not.toMatch(/^# heading/m);
    const escaped = escapeMarkdown(HOSTILE);
    expect(escaped).toBe('&lt;img src=x onerror=alert\\(1\\)&gt; \\[click\\]\\(javascript:alert\\(1\\)\\) \\*\\*bold\\*\\* \\# heading');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
  });

  it('links only http(s) URLs', () => {
    expect(markdownLink('x', 'javascript:alert(1)')).toBe('x (javascript:alert\\(1\\))');
    expect(markdownLink('x', 'https://a.test/a b>c')).toBe('[x](<https://a.test/a%20b%3Ec>)');
  });
});
