import { parseCalicoLobster } from './parse-calicolobster';
import { parseHypothesis } from './parse-hypothesis';
import { parseKindle } from './parse-kindle';
import { parseMemex } from './parse-memex';
import { parseOmnivore } from './parse-omnivore';
import { parseReadwise } from './parse-readwise';
import type { ImportSourceId, ParsedImport } from './types';

export interface ImportSource {
  id: ImportSourceId;
  label: string;
  /** For the file picker. */
  accept: string;
  parse: (text: string) => ParsedImport;
}

export const IMPORT_SOURCES: readonly ImportSource[] = [
  { id: 'hypothesis', label: 'Hypothesis (JSON)', accept: '.json,application/json', parse: parseHypothesis },
  { id: 'kindle', label: 'Kindle (My Clippings.txt)', accept: '.txt,text/plain', parse: parseKindle },
  { id: 'readwise', label: 'Readwise (CSV)', accept: '.csv,text/csv', parse: parseReadwise },
  { id: 'memex', label: 'Memex / WorldBrain (JSON)', accept: '.json,application/json', parse: parseMemex },
  { id: 'omnivore', label: 'Omnivore (metadata JSON or API export)', accept: '.json,application/json', parse: parseOmnivore },
  { id: 'calicolobster', label: 'CalicoLobster export (JSON)', accept: '.json,application/json', parse: parseCalicoLobster },
];

/** Files above this are refused before reading: every real export we know of is far smaller. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
