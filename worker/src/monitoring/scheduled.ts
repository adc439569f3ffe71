import type { Env } from '../env';
import { logJson } from '../observability/log';
import { pruneEvents, runDetection } from './detect';

/** The anomaly detection cron of wrangler.toml [triggers]; any other cron is not monitoring's. */
export const DETECTION_CRON = '*/5 * * * *';

/** Runs monitoring's scheduled job when `cron` is its own; false otherwise (the caller dispatches on). */
export async function runScheduled(cron: string, env: Env, now: number): Promise<boolean> {
  if (cron !== DETECTION_CRON) return false;
  const run = await runDetection(env, now);
  await pruneEvents(env, now);
  logJson({ level: run.created.length ? 'warn' : 'info', msg: 'anomaly detection', series: run.series, alerts: run.created.map((a) => `${a.kind} ${a.series}`), posted: run.posted });
  return true;
}
