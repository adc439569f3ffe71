/**
 * Denylist patterns: pages that match one are never captured (no visit, no text, no highlights shown).
 *
 * Syntax, one pattern per entry (case-insensitive, surrounding spaces ignored, `#` starts a comment):
 *
 *   example.com            the host and every subdomain of it (www.example.com, mail.example.com)
 *   *.example.com          the same (written the way people expect a wildcard to read)
 *   mail.google.com        that host and its subdomains, but not google.com itself
 *   mychart.*              `*` inside a host stands for any run of characters, dots included
 *   example.com/account/*  only paths under /account/ (a path `*` matches anything, `/` included;
 *                          a path without `*` must match the whole path, e.g. example.com/login)
 *   *://*.paypal.com/*     a scheme part is allowed and ignored unless it names http or https alone
 *   https://example.com/*  only the https pages of example.com
 *
 * Ports are ignored (`localhost` matches localhost:3000). Blank lines and comments are skipped, and
 * anything that isn't a valid pattern is reported by `parsePattern` rather than silently matching.
 */

export interface DenyPattern {
  /** The pattern as the user wrote it (trimmed). */
  source: string;
  scheme: 'http' | 'https' | null;
  host: RegExp;
  path: RegExp | null;
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function globToRegex(glob: string): string {
  return glob.split('*').map(escapeRegex).join('.*');
}

/** Parses one pattern; returns null for blank lines and comments, throws on invalid patterns. */
export function parsePattern(raw: string): DenyPattern | null {
  const source = raw.replace(/#.*$/, '').trim();
  if (!source) return null;
  let rest = source.toLowerCase();
  let scheme: DenyPattern['scheme'] = null;
  const schemeMatch = /^([a-z*]+):\/\//.exec(rest);
  if (schemeMatch) {
    const s = schemeMatch[1]!;
    if (s === 'http' || s === 'https') scheme = s;
    else if (s !== '*') throw new SyntaxError(`"${source}": only http, https or * may come before ://`);
    rest = rest.slice(schemeMatch[0].length);
  }
  const slash = rest.indexOf('/');
  let hostPart = slash === -1 ? rest : rest.slice(0, slash);
  const pathPart = slash === -1 ? '' : rest.slice(slash);
  hostPart = hostPart.replace(/:\d+$/, '');
  if (!hostPart || /[^a-z0-9.*\-_\[\]:]/.test(hostPart)) throw new SyntaxError(`"${source}": "${hostPart}" is not a host pattern`);
  // `*.x` and `x` both cover x and its subdomains.
  const bare = hostPart.replace(/^\*\./, '');
  if (!bare || bare === '*') {
    // `*` alone (or `*://*/path`) is a legitimate "every host" pattern only when a path narrows it.
    if (!pathPart || pathPart === '/' || pathPart === '/*') throw new SyntaxError(`"${source}" would match every page`);
  }
  const host = bare === '*' || bare === '' ? /^.*$/ : new RegExp(`^(?:.*\\.)?${globToRegex(bare)}$`);
  const path = pathPart && pathPart !== '/*' ? new RegExp(`^${globToRegex(pathPart)}$`) : null;
  return { source, scheme, host, path };
}

/** Parses a whole list; invalid entries are returned separately so a settings page can show them. */
export function parseDenylist(patterns: readonly string[]): { patterns: DenyPattern[]; invalid: { pattern: string; error: string }[] } {
  const out: DenyPattern[] = [];
  const invalid: { pattern: string; error: string }[] = [];
  for (const raw of patterns) {
    try {
      const p = parsePattern(raw);
      if (p) out.push(p);
    } catch (error) {
      invalid.push({ pattern: raw, error: (error as Error).message });
    }
  }
  return { patterns: out, invalid };
}

export function matchesPattern(pattern: DenyPattern, url: URL): boolean {
  const scheme = url.protocol.slice(0, -1);
  if (pattern.scheme && pattern.scheme !== scheme) return false;
  if (!pattern.host.test(url.hostname.toLowerCase())) return false;
  return pattern.path ? pattern.path.test(url.pathname.toLowerCase()) : true;
}

/** The first pattern that denies `url`, or null. Invalid URLs match nothing (the policy rejects them). */
export function findDenyMatch(patterns: readonly DenyPattern[], url: string): DenyPattern | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return patterns.find((p) => matchesPattern(p, parsed)) ?? null;
}
