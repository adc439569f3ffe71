-- Web search results cached per provider and query (worker/src/web-search/cache.ts): the same question
-- within the TTL costs no provider call and no quota. Results are public web data, not user data, so
-- the cache is shared between accounts; the key is a digest of provider, count and normalised query.
CREATE TABLE IF NOT EXISTS web_search_cache (
  key TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS web_search_cache_expires ON web_search_cache (expires_at);
