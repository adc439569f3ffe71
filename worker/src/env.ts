import type { UserStore } from './store/user-store';

/** Bindings and configuration. Optional bindings switch features on when present (see README). */
export interface Env {
  DB: D1Database;
  USER_STORE: DurableObjectNamespace<UserStore>;
  /** Production vector index; without it the Durable Object's own index answers. */
  VECTORIZE?: VectorizeIndex;
  /** Workers AI; used for generation when bound and no OpenAI-compatible endpoint is configured. */
  AI?: Ai;
  /** Workers Analytics Engine for per-route counts and latency; without it /v1/metrics reads them out. */
  ANALYTICS?: AnalyticsEngineDataset;

  /** 'openai' | 'workers-ai' | 'none'; unset: OpenAI-compatible when OPENAI_BASE_URL is set, else Workers AI when bound. */
  AI_PROVIDER?: string;
  OPENAI_BASE_URL?: string;
  /** A secret (`wrangler secret put OPENAI_API_KEY`). */
  OPENAI_API_KEY?: string;
  OPENAI_MODEL?: string;
  WORKERS_AI_MODEL?: string;

  RATE_LIMIT_IP_PER_MIN?: string;
  RATE_LIMIT_USER_PER_MIN?: string;
  RATE_LIMIT_JOIN_PER_MIN?: string;
  CHAT_QUOTA_PER_DAY?: string;
  CHAT_TIMEOUT_MS?: string;
  TOKEN_TTL_DAYS?: string;
  PAIRING_TTL_SECONDS?: string;
  /** Failed pairing-code joins per minute from all clients together (guesses, whatever their address). */
  RATE_LIMIT_JOIN_FAILURES_PER_MIN?: string;
  /** '1' on Cloudflare: the CF-Connecting-IP header names the client (the edge sets it). Unset: one bucket. */
  TRUST_CF_CONNECTING_IP?: string;
  /** A secret: /v1/metrics answers only a request bearing it, and is off (404) while it is unset. */
  METRICS_TOKEN?: string;
  /** '0' silences the JSON request log (the test suite). */
  LOG_REQUESTS?: string;
}

export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? Math.floor(n) : fallback;
}
