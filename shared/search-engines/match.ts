import type { CompiledPattern, CompiledSearchEngines } from './compile';
import { COUNTRY_CODES } from './country-codes';

/**
 * Recognises search-engine results URLs with the table compiled from Matomo's SearchEngines.yml.
 * The lookup follows Matomo's: the exact host + path, the exact host, then the "lossy" host (leading
 * `www.`/`search.`/`m.` dropped, country subdomains and TLDs folded into `{}`) + path, then the lossy
 * host alone; keywords come from the configuration's params in order (query parameters, or regexes
 * run on the whole URL whose first group is the keyword).
 */

export interface EngineMatch {
  engine: string;
  /** The keyword, or null when the URL is on the engine but carries none (e.g. a redirect page). */
  query: string | null;
  /** The path is one the engine lists as hiding the keyword (its home page, click redirects, …). */
  hiddenKeyword: boolean;
}

const COUNTRIES = COUNTRY_CODES.join('|');
const COUNTRY_TLD = new RegExp(`(\\.(com|org|net|co|it|edu))?\\.(${COUNTRIES})$`);
const COUNTRY_SUBDOMAIN = new RegExp(`(^|\\.)(${COUNTRIES})\\.`, 'g');

export function lossyHost(host: string): string {
  return host
    .replace(/^(w+[0-9]*|search)\./, '')
    .replace(/(^|\.)m\./g, '$1')
    .replace(COUNTRY_TLD, '.{}')
    .replace(COUNTRY_SUBDOMAIN, '$1{}.');
}

type Compiled = { literal: string } | { regex: RegExp };

function compilePattern(p: CompiledPattern): Compiled {
  return 'literal' in p ? p : { regex: new RegExp(p.regex, p.flags) };
}

function decodeKeyword(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // malformed escapes: keep the text as typed
  }
}

export interface SearchMatcher {
  matchEngine(url: string): EngineMatch | null;
  matchSearch(url: string): { engine: string; query: string } | null;
}

export function createMatcher(table: CompiledSearchEngines): SearchMatcher {
  // Regexes are built on first use of each configuration, not for all ~300 engines at start-up.
  const cache = new Map<number, { params: Compiled[]; hidden: Compiled[] }>();
  const configAt = (index: number) => {
    let c = cache.get(index);
    if (!c) {
      const raw = table.configs[index]!;
      c = { params: raw.params.map(compilePattern), hidden: raw.hidden.map(compilePattern) };
      cache.set(index, c);
    }
    return c;
  };
  const hostKey = (key: string): number | undefined => (Object.hasOwn(table.hosts, key) ? table.hosts[key] : undefined);

  function findConfig(host: string, path: string, search: string): number | undefined {
    const lossy = lossyHost(host);
    const direct = hostKey(host + path) ?? hostKey(host) ?? hostKey(lossy + path) ?? hostKey(lossy);
    if (direct !== undefined) return direct;
    // Matomo's special cases for hosts its table can't list.
    if (search.startsWith('?cx=partner-pub-')) return hostKey('google.com/cse');
    if (host.includes('.images.search.yahoo.com')) return hostKey('images.search.yahoo.com');
    if (host.includes('.search.yahoo.com')) return hostKey('search.yahoo.com');
    return undefined;
  }

  function matchEngine(url: string): EngineMatch | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
    const index = findConfig(host, parsed.pathname, parsed.search);
    if (index === undefined) return null;
    const config = configAt(index);
    const engine = table.engines[table.configs[index]!.engine]!;

    // Some engines keep the query in the fragment (`#q=`), so fragment parameters count too.
    const params = new URLSearchParams(parsed.search);
    const fragment = new URLSearchParams(parsed.hash.replace(/^#/, ''));
    let query: string | null = null;
    for (const p of config.params) {
      if ('regex' in p) {
        const m = p.regex.exec(url);
        if (m) {
          query = decodeKeyword(m[1] ?? '').trim();
          break;
        }
      } else {
        const value = (params.get(p.literal) ?? fragment.get(p.literal) ?? '').trim();
        if (value) {
          query = value;
          break;
        }
      }
    }
    const pathAndQuery = parsed.pathname + parsed.search + parsed.hash;
    const bare = pathAndQuery === '/' ? '' : pathAndQuery;
    const hiddenKeyword = config.hidden.some((h) =>
      'regex' in h ? h.regex.test(pathAndQuery) || h.regex.test(bare) : h.literal === parsed.pathname,
    );
    return { engine, query: query || null, hiddenKeyword };
  }

  return {
    matchEngine,
    matchSearch(url) {
      const m = matchEngine(url);
      return m?.query ? { engine: m.engine, query: m.query.slice(0, 2048) } : null;
    },
  };
}
