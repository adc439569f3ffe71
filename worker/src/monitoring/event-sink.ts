import type { Env } from '../env';

/** One measured request: no text, only what it was and how it went. */
export interface RequestSample {
  requestId: string;
  at: number;
  method: string;
  route: string;
  status: number;
  ms: number;
  userId: string | null;
  provider?: string;
  model?: string;
  template?: string;
  tokensIn?: number;
  tokensOut?: number;
  tokensEstimated?: boolean;
  stages: Record<string, number>;
}

const cut = (s: string | undefined, n: number) => (s === undefined ? null : s.slice(0, n));

/**
 * Where samples go. With the MONITORING binding (an Analytics Engine dataset of its own, production;
 * ANALYTICS keeps the plain per-route counts of observability/metrics.ts) each sample is also a data point — cheap, unlimited, queryable with its SQL API; the D1 table is what this worker reads
 * back for the owner dashboard, the user's usage and the scheduled detector (locally it is the only
 * store). MONITOR_D1 = "0" turns the D1 copy off (then dashboard and detection have nothing to read).
 */
export async function writeSample(env: Env, s: RequestSample): Promise<void> {
  if (env.MONITORING) {
    env.MONITORING.writeDataPoint({
      indexes: [s.route.slice(0, 96)],
      blobs: [s.method, s.route, String(s.status), s.provider ?? '', s.model ?? '', s.template ?? '', JSON.stringify(s.stages).slice(0, 1024), s.requestId],
      doubles: [s.ms, s.status, s.tokensIn ?? 0, s.tokensOut ?? 0],
    });
  }
  if (env.MONITOR_D1 === '0') return;
  await env.DB.prepare(
    `INSERT INTO request_events (request_id, at, method, route, status, ms, user_id, provider, model, template, tokens_in, tokens_out, tokens_estimated, stages)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      s.requestId.slice(0, 64),
      s.at,
      s.method.slice(0, 16),
      s.route.slice(0, 200),
      s.status,
      s.ms,
      s.userId,
      cut(s.provider, 64),
      cut(s.model, 128),
      cut(s.template, 80),
      s.tokensIn ?? null,
      s.tokensOut ?? null,
      s.tokensEstimated ? 1 : 0,
      JSON.stringify(s.stages).slice(0, 2000),
    )
    .run();
}

/** A rating as it arrives through sync (thumbs-down rate per model/template over time). */
export interface FeedbackSample {
  userId: string;
  feedbackId: string;
  at: number;
  rating: 'up' | 'down';
  engine: string;
  model: string;
  template: string;
}

export async function writeFeedbackSamples(env: Env, samples: FeedbackSample[]): Promise<void> {
  if (!samples.length || env.MONITOR_D1 === '0') return;
  const stmt = env.DB.prepare(
    `INSERT INTO feedback_events (user_id, feedback_id, at, rating, engine, model, template) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, feedback_id) DO UPDATE SET at = excluded.at, rating = excluded.rating, engine = excluded.engine, model = excluded.model, template = excluded.template`,
  );
  await env.DB.batch(samples.map((f) => stmt.bind(f.userId, f.feedbackId.slice(0, 128), f.at, f.rating, f.engine.slice(0, 64), f.model.slice(0, 128), f.template.slice(0, 80))));
}

/** Feedback puts in a sync push, reduced to their ratings (unrated and deleted ones carry none). */
export function feedbackSamplesOf(userId: string, changes: readonly { op: string; kind: string; key: string; data?: unknown }[], at: number): FeedbackSample[] {
  const out: FeedbackSample[] = [];
  for (const change of changes) {
    if (change.op !== 'put' || change.kind !== 'feedback' || !change.data || typeof change.data !== 'object') continue;
    const d = change.data as { rating?: unknown; engine?: unknown; model?: unknown; template?: { id?: unknown; version?: unknown } };
    if (d.rating !== 'up' && d.rating !== 'down') continue;
    const template = d.template && typeof d.template.id === 'string' ? `${d.template.id}@${String(d.template.version ?? '')}` : '';
    out.push({ userId, feedbackId: change.key, at, rating: d.rating, engine: typeof d.engine === 'string' ? d.engine : '', model: typeof d.model === 'string' ? d.model : '', template });
  }
  return out;
}
