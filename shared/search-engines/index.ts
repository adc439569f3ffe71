import table from 'virtual:calico-search-engines';
import { createMatcher, type EngineMatch } from './match';

/**
 * The search-engine matcher over the table compiled at build time from data/SearchEngines.yml (Matomo,
 * CC0 — see data/LICENSE). Needs the `searchEnginesPlugin` Vite plugin (vite-plugin.ts) in the build.
 */
const matcher = createMatcher(table);

/** The engine and keyword of a search results URL, or null when the URL is not one. */
export function matchSearch(url: string): { engine: string; query: string } | null {
  return matcher.matchSearch(url);
}

/** The engine a URL belongs to, with or without a keyword (redirect and home pages too). */
export function matchSearchEngine(url: string): EngineMatch | null {
  return matcher.matchEngine(url);
}

export type { EngineMatch };
