/**
 * HTTP for connectors: JSON or text GETs that respect an API's rate limits. A 429 or 503 (and the
 * rate-limit 403s Google APIs send) waits for `Retry-After` when the server gives one, else backs off
 * exponentially with jitter, up to `retries` times; requests are spaced at least `minIntervalMs` apart
 * (MediaWiki asks for serial requests; Drive allows bursts but not floods).
 */
export class ConnectorHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ConnectorHttpOptions {
  fetch?: typeof fetch;
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  retries?: number;
  minIntervalMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Seconds or an HTTP date → ms to wait; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header.trim());
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const RATE_LIMIT_REASONS = /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/;

export class ConnectorHttp {
  private last = -Infinity;
  /** Waits made so far (tests and the options page's report read it). */
  readonly waits: number[] = [];

  constructor(private readonly options: ConnectorHttpOptions = {}) {}

  async json<T>(url: string, signal?: AbortSignal): Promise<T> {
    return JSON.parse(await this.text(url, signal)) as T;
  }

  async text(url: string, signal?: AbortSignal): Promise<string> {
    const o = this.options;
    const fetchFn = o.fetch ?? fetch;
    const sleep = o.sleep ?? defaultSleep;
    const retries = o.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const gap = this.last + (o.minIntervalMs ?? 0) - Date.now();
      if (gap > 0) await sleep(gap, signal);
      this.last = Date.now();
      const response = await fetchFn(url, { headers: { ...(await o.headers?.()) }, signal });
      const body = await response.text();
      if (response.ok) return body;
      const limited = response.status === 429 || response.status === 503 || (response.status === 403 && RATE_LIMIT_REASONS.test(body));
      if (!limited || attempt >= retries) throw new ConnectorHttpError(`${response.status} from ${new URL(url).host}: ${body.slice(0, 200)}`, response.status);
      const backoff = Math.min(o.maxDelayMs ?? 60_000, (o.baseDelayMs ?? 1000) * 2 ** attempt) * (0.5 + (o.random ?? Math.random)() / 2);
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff;
      this.waits.push(wait);
      await sleep(wait, signal);
    }
  }
}
