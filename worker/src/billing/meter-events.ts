import type { Env } from '../env';
import { logJson } from '../observability/log';
import { stripeOf } from './stripe-client';

/**
 * Metered extras reported to Stripe's billing meters. The request that used them only queues a row
 * (never waits on Stripe); `flushMeterEvents` sends the queue, right after the request and on the cron,
 * so a Stripe outage delays the report but loses nothing and never blocks a feature. Each row's id is
 * sent as the meter event's identifier, so a retry after a lost answer is not counted twice.
 */

export async function queueMeterEvent(db: D1Database, e: { userId: string; customerId: string; meter: string; value: number; now: number }): Promise<void> {
  await db
    .prepare('INSERT INTO meter_events (user_id, customer_id, meter, value, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(e.userId, e.customerId, e.meter, e.value, e.now)
    .run();
}

const MAX_ATTEMPTS = 20;

export async function flushMeterEvents(env: Env, limit = 100): Promise<{ sent: number; failed: number }> {
  if (!env.STRIPE_SECRET_KEY) return { sent: 0, failed: 0 };
  const { results } = await env.DB
    .prepare('SELECT id, customer_id, meter, value, created_at FROM meter_events WHERE sent_at IS NULL AND attempts < ? ORDER BY id LIMIT ?')
    .bind(MAX_ATTEMPTS, limit)
    .all<{ id: number; customer_id: string; meter: string; value: number; created_at: number }>();
  if (!results.length) return { sent: 0, failed: 0 };
  const stripe = stripeOf(env);
  let sent = 0;
  let failed = 0;
  for (const row of results) {
    try {
      await stripe.billing.meterEvents.create({
        event_name: row.meter,
        identifier: `clm_${row.id}`,
        timestamp: Math.floor(row.created_at / 1000),
        payload: { stripe_customer_id: row.customer_id, value: String(row.value) },
      });
      await env.DB.prepare('UPDATE meter_events SET sent_at = ? WHERE id = ?').bind(Date.now(), row.id).run();
      sent += 1;
    } catch (error) {
      failed += 1;
      await env.DB.prepare('UPDATE meter_events SET attempts = attempts + 1, last_error = ? WHERE id = ?').bind(String(error).slice(0, 300), row.id).run();
      logJson({ level: 'warn', msg: 'meter event not reported; will retry', id: row.id, error: String(error).slice(0, 300) });
    }
  }
  return { sent, failed };
}
