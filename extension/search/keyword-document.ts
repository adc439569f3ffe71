import { parseSourceId, sourceId } from './source-id';
import type { Highlight, Page, Search } from '@shared/schemas/records';
import { rankPrior } from '@shared/signals/rank-prior';

/** What the keyword index holds: one document per highlight, page and search, keyed `kind:key`. */

export const RESULT_KINDS = ['highlight', 'page', 'search'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Pages can hold 200k characters; the head of a page is what people remember and search for, and
 * indexing all of it would make the persisted index (and every snapshot) several times bigger. */
export const INDEXED_TEXT_CAP = 30_000;

/** Stored with each document so results can be shown without touching the database. */
export interface StoredFields {
  kind: ResultKind;
  /** The record's key: highlight id, page URL, search id. */
  key: string;
  title: string;
  url: string;
  site: string;
  /** When it was made/visited (ms): highlight createdAt, page capturedAt, search createdAt. */
  date: number;
  /** Highlights only: for the editor shown in results. */
  color?: string;
  note?: string;
  anchorStatus?: string;
  /** Short texts (highlight quote, search query) kept for snippets; pages load theirs on demand. */
  snippetSource?: string;
  /** Pages only (issue 14): score multiplier from the content signals, and the spam flag the filter hides. */
  prior?: number;
  spam?: boolean;
}

export interface KeywordDocument extends StoredFields {
  id: string;
  text: string;
}

export const docId = (kind: ResultKind, key: string): string => sourceId(kind, key);

export const parseDocId = (id: string): { kind: ResultKind; key: string } => parseSourceId<ResultKind>(id);

export function highlightDocument(h: Highlight): KeywordDocument {
  return {
    id: docId('highlight', h.id),
    kind: 'highlight',
    key: h.id,
    title: h.pageTitle,
    text: h.text.slice(0, INDEXED_TEXT_CAP),
    note: h.note,
    url: h.url,
    site: h.site,
    date: h.createdAt,
    color: h.color,
    anchorStatus: h.anchorStatus,
    snippetSource: h.text.slice(0, 4000),
  };
}

export function pageDocument(p: Page): KeywordDocument {
  return {
    id: docId('page', p.url),
    kind: 'page',
    key: p.url,
    title: p.title,
    text: p.text.slice(0, INDEXED_TEXT_CAP),
    url: p.url,
    site: p.site,
    date: p.capturedAt,
    ...(p.signals ? { prior: rankPrior(p.signals), spam: p.signals.spam } : {}),
  };
}

export function searchDocument(s: Search): KeywordDocument {
  return {
    id: docId('search', s.id),
    kind: 'search',
    key: s.id,
    title: s.query,
    text: '',
    url: s.url,
    site: s.site,
    date: s.createdAt,
    snippetSource: `${s.engine}: ${s.query}`,
  };
}
