-- Billing (worker/src/billing): what Stripe told us of each account's subscription, usage counters per
-- billing period, the Stripe events already processed (idempotency), and metered extras to report.
CREATE TABLE subscriptions (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  plan TEXT NOT NULL,
  status TEXT NOT NULL,
  stripe_customer_id TEXT,
  stripe_subscription_id TEXT,
  period_start INTEGER,
  period_end INTEGER,
  grace_until INTEGER,
  cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
  -- Stripe event time (ms) of the state stored: an older event delivered late is not applied over it.
  state_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX subscriptions_customer ON subscriptions(stripe_customer_id);

CREATE TABLE usage (
  user_id TEXT NOT NULL,
  entitlement TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (user_id, entitlement, period_start)
);

CREATE TABLE stripe_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  created INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  outcome TEXT NOT NULL
);

CREATE TABLE meter_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  meter TEXT NOT NULL,
  value INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX meter_events_pending ON meter_events(sent_at, id);
