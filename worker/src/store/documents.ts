import type { RecordKind } from '../../../shared/schemas/sync';

/**
 * What of each record is searchable (FTS5 columns title/body) and how a hit is shown. Settings are
 * synced but never searched.
 */
export interface SearchableDoc {
  title: string;
  body: string;
  url: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function searchableDoc(kind: RecordKind, data: Record<string, unknown>): SearchableDoc | null {
  switch (kind) {
    case 'highlight':
      return { title: str(data.pageTitle), body: [str(data.text), str(data.note)].filter(Boolean).join('\n'), url: str(data.url) };
    case 'page':
      return { title: str(data.title), body: str(data.text), url: str(data.url) };
    case 'visit':
      return { title: str(data.title), body: str(data.url), url: str(data.url) };
    case 'search':
      return { title: str(data.query), body: `${str(data.engine)} ${str(data.url)}`, url: str(data.url) };
    case 'conversation':
      // A conversation is found by its title and what was asked in it, never by its answers' sources.
      return { title: str(data.title), body: Array.isArray(data.messages) ? data.messages.map((m) => str((m as { content?: unknown }).content)).join('\n') : '', url: '' };
    case 'product':
      // A product is found by its name, brand, codes and specs (the Shopping scope's keyword side).
      return {
        title: str(data.name),
        body: [str(data.brand), str(data.model), str(data.gtin), str(data.mpn), str(data.sku), str(data.storeName), str(data.storeDomain)]
          .concat(Array.isArray(data.specs) ? data.specs.map((s) => `${str((s as { name?: unknown }).name)}: ${str((s as { value?: unknown }).value)}`) : [])
          .filter(Boolean)
          .join('\n'),
        url: str(data.url),
      };
    case 'image':
      // An image request is found by its prompt (the image bytes are never synced).
      return { title: str(data.prompt).slice(0, 200), body: str(data.prompt), url: str(data.pageUrl) };
    case 'setting':
    case 'feedback':
    case 'review':
    case 'price-observation':
    case 'synthetic':
      return null;
  }
}
