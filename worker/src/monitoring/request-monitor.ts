import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Env } from '../env';
import type { AppEnv } from '../http/context';
import { DEFAULT_WORKERS_AI_MODEL } from '../providers/select';
import { logJson } from '../observability/log';
import { writeSample, type RequestSample } from './event-sink';

/**
 * The one place requests are measured for monitoring. The middleware puts a RequestMonitor on the
 * context; routes add what only they know (provider, model, template, token counts, stage timings)
 * and never any text. The sample is written after the response — for a streamed answer, when the
 * stream ends (`defer`), so its output tokens and generation time are in it.
 */
export interface Usage {
  provider?: string;
  model?: string;
  /** "id@version" of the prompt template. */
  template?: string;
  tokensIn?: number;
  tokensOut?: number;
  /** Token counts estimated from characters: the provider reported none. */
  tokensEstimated?: boolean;
}

/** The model a provider was configured with (providers keep it private; the env is the source). */
export function configuredModel(env: Env, provider: string): string {
  if (provider === 'openai-compatible') return env.OPENAI_MODEL || 'gpt-4o-mini';
  if (provider === 'workers-ai') return env.WORKERS_AI_MODEL || DEFAULT_WORKERS_AI_MODEL;
  return '';
}

/** About four characters per token for English BPE vocabularies; only used when the provider is silent. */
export const estimateTokens = (chars: number) => Math.ceil(chars / 4);

export class RequestMonitor {
  private usage: Usage = {};
  private readonly stages: Record<string, number> = {};
  private deferred = false;
  private finished = false;
  private writer: (() => Promise<void>) | null = null;

  constructor(readonly started: number) {}

  note(usage: Usage): void {
    this.usage = { ...this.usage, ...usage };
  }

  stage(name: string, ms: number): void {
    this.stages[name] = Math.round(((this.stages[name] ?? 0) + ms) * 10) / 10;
  }

  async time<T>(name: string, run: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await run();
    } finally {
      this.stage(name, Date.now() - t0);
    }
  }

  /**
   * For a streamed response: the sample is written when the returned callback runs (await it once,
   * in the stream's finally). Written from inside the stream rather than a waitUntil waiting for it:
   * a response nobody reads must not hold its request open.
   */
  defer(): () => Promise<void> {
    this.deferred = true;
    return () => {
      this.finished = true;
      return this.writer ? this.writer() : Promise.resolve();
    };
  }

  /** The middleware's writer: run now (a plain response, or a stream already done) or when the stream ends. */
  attach(write: () => Promise<void>): Promise<void> | null {
    if (!this.deferred || this.finished) return write();
    this.writer = write;
    return null;
  }

  snapshot(): { usage: Usage; stages: Record<string, number> } {
    return { usage: { ...this.usage }, stages: { ...this.stages } };
  }
}

/** The route pattern that answered (never the raw path, which carries ids). */
export function routeOf(c: Context<AppEnv>): string {
  return matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
}

export const monitorRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const monitor = new RequestMonitor(Date.now());
  c.set('monitor', monitor);
  await next();
  // The owner's own dashboard polling would otherwise be most of the traffic it shows.
  if (c.req.path.startsWith('/owner/')) return;
  const headersMs = Date.now() - monitor.started;
  const base = { requestId: c.get('requestId') ?? '', at: monitor.started, method: c.req.method, route: routeOf(c), status: c.res.status };
  const record = async () => {
    const { usage, stages } = monitor.snapshot();
    // A streamed answer's latency is to its last byte; the time to headers is kept as a stage.
    const ms = Date.now() - monitor.started;
    if (ms !== headersMs) stages.headers = headersMs;
    const sample: RequestSample = { ...base, ms, userId: c.get('auth')?.userId ?? null, ...usage, stages };
    await writeSample(c.env, sample).catch((error) => logJson({ level: 'error', msg: 'monitoring write failed', error: String(error) }));
  };
  let ctx: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // app.request() in a test without an execution context
  }
  const now = monitor.attach(record);
  if (now && ctx) ctx.waitUntil(now);
  else if (now) await now;
};
