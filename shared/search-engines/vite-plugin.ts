import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { compileSearchEngines } from './compile.ts';

/**
 * Serves `virtual:calico-search-engines`: the search-engine table compiled from data/SearchEngines.yml
 * on every build (and every test run), so the shipped matcher can never drift from the data file.
 * Registered in wxt.config.ts (extension builds) and vitest.config.ts (unit tests).
 */
export const SEARCH_ENGINES_MODULE = 'virtual:calico-search-engines';
const RESOLVED = '\0' + SEARCH_ENGINES_MODULE;
const DATA_FILE = fileURLToPath(new URL('./data/SearchEngines.yml', import.meta.url));

export function searchEnginesPlugin(): Plugin {
  return {
    name: 'calico:search-engines',
    resolveId(id) {
      return id === SEARCH_ENGINES_MODULE ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      this.addWatchFile(DATA_FILE);
      const table = compileSearchEngines(readFileSync(DATA_FILE, 'utf8'));
      return `export default ${JSON.stringify(table)};`;
    },
  };
}
