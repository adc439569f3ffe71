import type { Highlight, Page, Search, Visit } from '@shared/schemas/records';

/** One thing a parser or the writer left out, and why (shown to the user as is). */
export interface Skipped {
  /** A short label for the source item: a title, a line number, a row number. */
  item: string;
  reason: string;
}

/** What a parser makes of one export file. Parsers are pure: text in, records out, nothing written. */
export interface ParsedImport {
  highlights: Highlight[];
  pages: Page[];
  /** Only our own export carries these. */
  visits?: Visit[];
  searches?: Search[];
  skipped: Skipped[];
}

export type ImportSourceId = 'hypothesis' | 'kindle' | 'readwise' | 'memex' | 'omnivore' | 'calicolobster';
