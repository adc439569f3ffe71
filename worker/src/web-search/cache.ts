import { sha256Hex } from '../auth/crypto';
import { WebSearchResponse } from '../../../shared/schemas/web-search';

/**
 * Search results cached in D1 per (provider, count, query): a repeated question within the TTL answers
 * from here, with no provider call and no quota spent. Entries are validated on the way out, so a row
 * from an older shape is a miss rather than a bad reply.
 */

export function normaliseQuery(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, ' ');
}

export async function cacheKey(provider: string, count: number, q: string): Promise<string> {
  return sha256Hex(`${provider}\n${count}\n${normaliseQuery(q)}`);
}

export async function readCached(db: D1Database, key: string, now: number): Promise<WebSearchResponse | null> {
  const row = await db.prepare('SELECT body FROM web_search_cache WHERE key = ? AND expires_at > ?').bind(key, now).first<{ body: string }>();
  if (!row) return null;
  try {
    const parsed = WebSearchResponse.safeParse(JSON.parse(row.body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeCached(db: D1Database, key: string, body: WebSearchResponse, now: number, ttlMs: number): Promise<void> {
  await db.batch([
    db.prepare('INSERT OR REPLACE INTO web_search_cache (key, body, expires_at) VALUES (?, ?, ?)').bind(key, JSON.stringify(body), now + ttlMs),
    // Expired rows are swept as new ones arrive, a few at a time, so the table stays the size of an hour's searches.
    db.prepare('DELETE FROM web_search_cache WHERE key IN (SELECT key FROM web_search_cache WHERE expires_at <= ? LIMIT 50)').bind(now),
  ]);
}
