/**
 * The site a person types into the "badge off" list, as the badge compares it: the host name only
 * (lower case, no port; "www." is kept, as the page reports it), taken
 * from a pasted URL too. Null when it is not a host name.
 */
export function badgeSiteOf(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > 2_000) return null;
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`).hostname.toLowerCase();
  } catch {
    return null;
  }
  return /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(host) && !host.includes('..') ? host : null;
}
