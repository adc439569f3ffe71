import picomatch from 'picomatch';
import { normalizeUrl } from '../extension/capture/normalize-url';

/**
 * Which URLs a crawl may visit: the start URL's host and path prefix (a crawl of
 * https://docs.example.com/guide/ never wanders into /blog/ or another host), narrowed by the person's
 * --include / --exclude globs on the path ("/guide/api/**", "**\/*.pdf").
 */
export interface ScopeOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

export interface Scope {
  readonly host: string;
  readonly prefix: string;
  contains(url: string): boolean;
}

/** The directory of the start URL: /guide/intro.html → /guide/. */
export function pathPrefix(startUrl: string): string {
  const path = new URL(startUrl).pathname;
  return path.endsWith('/') ? path : path.slice(0, path.lastIndexOf('/') + 1) || '/';
}

export function createScope(startUrl: string, options: ScopeOptions = {}): Scope {
  const start = new URL(startUrl);
  const host = start.host.toLowerCase();
  const prefix = pathPrefix(startUrl);
  const include = options.include?.length ? picomatch([...options.include], { dot: true }) : null;
  const exclude = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : null;
  return {
    host,
    prefix,
    contains(url: string): boolean {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return false;
      }
      if (u.protocol !== start.protocol || u.host.toLowerCase() !== host) return false;
      if (!u.pathname.startsWith(prefix)) return false;
      if (include && !include(u.pathname)) return false;
      if (exclude && exclude(u.pathname)) return false;
      return true;
    },
  };
}

/** The crawl's key for a URL: the capture's own normalisation (tracking parameters and fragments gone). */
export function crawlKey(url: string): string | null {
  return normalizeUrl(url);
}
