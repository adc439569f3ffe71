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

  // Billing (worker/src/billing; see worker/README.md "Plans and billing").
  /** A secret; unset, the worker takes no payments and every account is on Free. */
  STRIPE_SECRET_KEY?: string;
  /** A secret: the signing secret of the webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Another Stripe API host (the loopback Stripe test double in tests); unset: api.stripe.com. */
  STRIPE_API_BASE?: string;
  /** "plus=price_…,pro=price_…,store=price_…": the Stripe price each paid plan sells. */
  STRIPE_PRICE_IDS?: string;
  /** A JSON array of plans replacing the defaults of billing/plans.ts (validated; must include free). */
  PLANS?: string;
  /** Days paid features stay on past a period's end while the renewal is unconfirmed (default 3). */
  BILLING_RENEWAL_GRACE_DAYS?: string;
  /** Days a failed payment keeps the plan before the account falls to Free (default 7). */
  BILLING_PAYMENT_GRACE_DAYS?: string;
  /** Analytics Engine dataset for the monitoring samples (route, status, ms, tokens, model, template, stages). */
  MONITORING?: AnalyticsEngineDataset;
  /** Monitoring (worker/src/monitoring, see worker/README.md "Monitoring"). A secret: opens /owner/dashboard. */
  OWNER_TOKEN?: string;
  /** Slack-compatible incoming webhook the scheduled detector posts alerts to (a secret in production). */
  MONITOR_WEBHOOK_URL?: string;
  /** This worker's public origin, for the links in alerts (e.g. https://api.example.com). */
  MONITOR_PUBLIC_URL?: string;
  MONITOR_BUCKET_SECONDS?: string;
  MONITOR_LOOKBACK_BUCKETS?: string;
  MONITOR_MIN_HISTORY?: string;
  MONITOR_MIN_REQUESTS?: string;
  MONITOR_RETENTION_DAYS?: string;
  /** '0': request events go to Analytics Engine only (the dashboard and detector then read nothing). */
  MONITOR_D1?: string;

  /** Merchant chat limits per minute (defaults 600 per store, 20 per visitor). */
  SHOP_CHAT_PER_STORE_PER_MIN?: string;
  SHOP_CHAT_PER_VISITOR_PER_MIN?: string;
  /** '1' lets stores be read over plain HTTP with a port (local test stores only). */
  SHOPIFY_ALLOW_HTTP?: string;
  /** Merchant catalogue search by meaning (src/shopify/embedder.ts): 'openai' | 'workers-ai' | 'none';
   * unset: the OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set, else Workers AI when bound. */
  EMBEDDINGS_PROVIDER?: string;
  /** An OpenAI-compatible server's base URL (…/v1) serving /embeddings. */
  EMBEDDINGS_BASE_URL?: string;
  EMBEDDINGS_MODEL?: string;
  /** A secret; unset, OPENAI_API_KEY is sent. */
  EMBEDDINGS_API_KEY?: string;
  /** Workers AI embedding model (default @cf/baai/bge-small-en-v1.5). */
  WORKERS_AI_EMBEDDING_MODEL?: string;


  // Web search and images (worker/src/web-search, worker/src/images; see worker/README.md).
  /** 'searxng' | 'brave' | 'none'; unset: SearXNG when SEARXNG_URL is set, else Brave when its key is. */
  WEB_SEARCH_PROVIDER?: string;
  /** A self-hosted SearXNG with the JSON format enabled, e.g. https://searx.example.org */
  SEARXNG_URL?: string;
  /** A secret: the Brave Search API subscription token. */
  BRAVE_SEARCH_KEY?: string;
  /** Another Brave API host (the loopback search test double in tests); unset: api.search.brave.com. */
  BRAVE_SEARCH_BASE?: string;
  /** Seconds a search result stays cached (default 3600). */
  WEB_SEARCH_CACHE_TTL_SECONDS?: string;
  /** How many of the top results have their page fetched and cleaned (default 3, at most 5). */
  WEB_SEARCH_FETCH_TOP?: string;
  /** An OpenAI-compatible images endpoint (…/v1); set, it is used instead of Workers AI. */
  OPENAI_IMAGES_BASE_URL?: string;
  /** A secret; unset, OPENAI_API_KEY is sent. */
  OPENAI_IMAGES_API_KEY?: string;
  OPENAI_IMAGES_MODEL?: string;
  /** Workers AI text-to-image model (default @cf/black-forest-labs/flux-1-schnell). */
  WORKERS_AI_IMAGE_MODEL?: string;

  // The serving pipeline behind /v1/chat with a scope (worker/src/serving; see worker/README.md).
  /** Milliseconds the user's records may take before an answer goes on without them (default 3000). */
  SERVING_RECORDS_BUDGET_MS?: string;
  /** Milliseconds the web search (with its page reads) may take (default 6000). */
  SERVING_WEB_BUDGET_MS?: string;
  /** Characters of sources put into the prompt (default 12000). */
  SERVING_CONTEXT_CHARS?: string;
}

export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? Math.floor(n) : fallback;
}
