import type { Highlight, Page } from '@shared/schemas/records';

/**
 * Records as the capture and highlight code would write them, for tests that need some saved reading
 * and don't care about most fields. Override what the test is about.
 */

export function highlightRecord(id: string, text: string, fields: Partial<Highlight> = {}): Highlight {
  const at = fields.createdAt ?? Date.now();
  return {
    id,
    url: `https://e.com/${id}`,
    site: 'e.com',
    pageTitle: `Page ${id}`,
    text,
    color: 'yellow',
    note: '',
    selectors: [{ type: 'TextQuoteSelector', exact: text, prefix: '', suffix: '' }],
    anchorStatus: 'anchored',
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

export function pageRecord(url: string, title: string, text: string, fields: Partial<Page> = {}): Page {
  const at = fields.capturedAt ?? Date.now();
  return {
    url,
    site: new URL(url).hostname,
    title,
    text,
    excerpt: '',
    byline: '',
    siteName: '',
    lang: 'en',
    wordCount: text.split(/\s+/).filter(Boolean).length,
    truncated: false,
    capturedAt: at,
    updatedAt: at,
    ...fields,
  };
}
