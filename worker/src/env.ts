import type { UserStore } from './store/user-store';
import type { MerchantStore } from './shopify/merchant-store';

/** Bindings and configuration. Optional bindings switch features on when present (see README). */
export interface Env {
  DB: D1Database;
  USER_STORE: DurableObjectNamespace<UserStore>;
  /** Shopify merchant chat: one Durable Object per registered store (src/shopify/merchant-store.ts). */
  MERCHANT_STORE: DurableObjectNamespace<MerchantStore>;
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
  /** '1' serves /v1/metrics (the local readout). Off in production, where Analytics Engine has them. */
  METRICS_ENDPOINT?: string;
  /** '0' silences the JSON request log (the test suite). */
  LOG_REQUESTS?: string;
  /** Merchant chat limits per minute (defaults 600 per store, 20 per visitor). */
  SHOP_CHAT_PER_STORE_PER_MIN?: string;
  SHOP_CHAT_PER_VISITOR_PER_MIN?: string;
  /** '1' lets stores be read over plain HTTP with a port (local test stores only). */
  SHOPIFY_ALLOW_HTTP?: string;
}

export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? Math.floor(n) : fallback;
}
