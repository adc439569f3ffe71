-- Monitoring the worker owns (worker/src/monitoring). No page text, prompts or answers: only what a
-- request was (route, status, timing, token counts, which model and template) and who made it (the
-- opaque user id, for that user's own usage readout). Kept MONITOR_RETENTION_DAYS days.
CREATE TABLE request_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  status INTEGER NOT NULL,
  ms REAL NOT NULL,
  user_id TEXT,
  provider TEXT,
  model TEXT,
  -- "id@version" of the prompt template, e.g. "ask@1"
  template TEXT,
  tokens_in INTEGER,
  tokens_out INTEGER,
  -- 1 when the token counts are estimated from characters (the provider reported none)
  tokens_estimated INTEGER NOT NULL DEFAULT 0,
  -- JSON object: pipeline stage → milliseconds
  stages TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX request_events_at ON request_events(at);
CREATE INDEX request_events_user_at ON request_events(user_id, at);

-- Thumbs up/down as they arrive through sync (one row per feedback record, updated when re-rated).
CREATE TABLE feedback_events (
  user_id TEXT NOT NULL,
  feedback_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
  engine TEXT NOT NULL,
  model TEXT NOT NULL,
  template TEXT NOT NULL,
  PRIMARY KEY (user_id, feedback_id)
);
CREATE INDEX feedback_events_at ON feedback_events(at);

-- Incidents the scheduled detector found: one row per incident of one series.
CREATE TABLE monitor_alerts (
  id TEXT PRIMARY KEY,
  series TEXT NOT NULL,
  kind TEXT NOT NULL,
  direction TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  value REAL NOT NULL,
  expected REAL NOT NULL,
  score REAL NOT NULL,
  points INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  posted_at INTEGER,
  post_attempts INTEGER NOT NULL DEFAULT 0,
  post_error TEXT
);
CREATE INDEX monitor_alerts_series ON monitor_alerts(series, ended_at);
CREATE INDEX monitor_alerts_created ON monitor_alerts(created_at);
