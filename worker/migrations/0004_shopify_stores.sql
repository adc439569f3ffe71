-- Shopify merchant chat (issue 12): which account owns which store domain. The catalogue, policies and
-- conversations of each store live in its own Durable Object (src/shopify/merchant-store.ts).
CREATE TABLE shopify_stores (
  domain TEXT PRIMARY KEY,
  owner_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  contact_email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_sync_at INTEGER,
  last_sync_error TEXT
);
CREATE INDEX shopify_stores_owner ON shopify_stores(owner_user_id);
