import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import worker from '../index';
import type { Env } from '../env';
import { call, env, json, newAccount, resetDb } from '../../test/helpers';
import { runDetection, type StoredAlert } from './detect';
import { feedbackSamplesOf, writeFeedbackSamples } from './event-sink';
import { DETECTION_CRON } from './scheduled';

const OWNER = 'owner-secret-0123456789';
const owner = { OWNER_TOKEN: OWNER };
const llmBaseUrl = inject('llmBaseUrl');
const withModel = { OPENAI_BASE_URL: llmBaseUrl, OPENAI_MODEL: 'double-1', AI_PROVIDER: '' };

beforeEach(async () => {
  await resetDb();
  await env.DB.batch(['request_events', 'feedback_events', 'monitor_alerts'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

async function events(): Promise<any[]> {
  return (await env.DB.prepare('SELECT * FROM request_events ORDER BY id').all()).results;
}

describe('request monitoring', () => {
  it('records route pattern, status, latency and user of every request, without the raw path', async () => {
    const a = await newAccount();
    await call('/v1/records/highlight/hl_secret_path', { token: a.token });
    await call('/elsewhere');
    const rows = await events();
    expect(rows.map((r) => [r.method, r.route, r.status])).toEqual([
      ['POST', '/v1/accounts', 201],
      ['GET', '/v1/records/:kind/:key{.+}', 404],
      ['GET', 'unmatched', 404],
    ]);
    expect(rows[1]).toMatchObject({ user_id: a.userId, tokens_in: null });
    expect(rows[1].ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(rows)).not.toContain('hl_secret_path');
  });

  it('records a streamed answer when its stream ends: provider, model, template, estimated tokens, stage timings, no text', async () => {
    const a = await newAccount();
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'what do octopuses eat?', searchMyRecords: true }, envOverrides: withModel });
    expect(res.status).toBe(200);
    await res.text(); // the stream ends → the sample is written
    const chat = (await events()).find((r) => r.route === '/v1/chat')!;
    expect(chat).toMatchObject({ status: 200, provider: 'openai-compatible', model: 'double-1', template: 'ask-sources@1', tokens_estimated: 1, user_id: a.userId });
    expect(chat.tokens_in).toBeGreaterThan(10);
    expect(chat.tokens_out).toBe(Math.ceil('Hello world'.length / 4));
    expect(Object.keys(JSON.parse(chat.stages)).sort()).toEqual(['headers', 'open', 'retrieve', 'stream']);
    expect(JSON.stringify(chat)).not.toContain('octopuses');
  });

  it('counts an upstream failure as a 5xx of its route', async () => {
    const a = await newAccount();
    const res = await call('/v1/write', { method: 'POST', token: a.token, json: { action: 'improve', text: 'please fail now' }, envOverrides: withModel });
    expect(res.status).toBe(502);
    expect((await events()).find((r) => r.route === '/v1/write')).toMatchObject({ status: 502, template: 'write.improve@1' });
  });

  it('keeps thumbs up/down of synced feedback records, once per record (re-rating updates it)', async () => {
    // The sync push route hands its changes to these two (feedback puts reach it once the sync
    // contract accepts the 'feedback' kind); called directly here so the test doesn't depend on that.
    const feedback = (rating: 'up' | 'down' | null) => ({ rating, engine: 'worker', model: 'double-1', template: { id: 'ask', version: 2 }, output: 'never stored' });
    const change = (rating: 'up' | 'down' | null, key = 'fb_0000000001') => ({ op: 'put', kind: 'feedback', key, data: feedback(rating) });
    expect(feedbackSamplesOf('u1', [change(null), { op: 'delete', kind: 'feedback', key: 'fb_x' }, { ...change('up'), kind: 'highlight' }], 1)).toEqual([]);
    await writeFeedbackSamples(env, feedbackSamplesOf('u1', [change('up')], 1000));
    await writeFeedbackSamples(env, feedbackSamplesOf('u1', [change('down')], 2000));
    const rows = (await env.DB.prepare('SELECT * FROM feedback_events').all()).results;
    expect(rows).toEqual([{ user_id: 'u1', feedback_id: 'fb_0000000001', at: 2000, rating: 'down', engine: 'worker', model: 'double-1', template: 'ask@2' }]);
  });
});

describe('owner dashboard', () => {
  it('does not exist without OWNER_TOKEN, and asks for it (Basic) when set', async () => {
    expect((await call('/owner/dashboard')).status).toBe(404);
    const res = await call('/owner/dashboard', { envOverrides: owner });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await call('/owner/dashboard', { envOverrides: owner, headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    // A device token is not the owner's.
    const a = await newAccount();
    expect((await call('/owner/api/series', { envOverrides: owner, token: a.token })).status).toBe(401);
  });

  it('serves the page, uPlot and its script to the owner (Basic or Bearer), with a strict CSP', async () => {
    const basic = { authorization: `Basic ${btoa(`anyone:${OWNER}`)}` };
    const page = await call('/owner/dashboard', { envOverrides: owner, headers: basic });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/owner/assets/uplot.js');
    expect(html).toContain('data-testid="chart-latency"');
    const lib = await call('/owner/assets/uplot.js', { envOverrides: owner, token: OWNER });
    expect(lib.headers.get('content-type')).toContain('javascript');
    expect(await lib.text()).toContain('uPlot');
    expect(await (await call('/owner/assets/dashboard.js', { envOverrides: owner, token: OWNER })).text()).toContain('new uPlot(');
    expect((await call('/owner/assets/uplot.css', { envOverrides: owner, token: OWNER })).status).toBe(200);
  });

  it('series: requests, errors, p50/p95, tokens and thumbs-down per bucket, overall, per route and per model', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const ins = env.DB.prepare('INSERT INTO request_events (request_id, at, method, route, status, ms, user_id, provider, model, template, tokens_in, tokens_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    await env.DB.batch([
      ins.bind('r1', t0 + 1000, 'POST', '/v1/chat', 200, 100, 'u1', 'openai-compatible', 'm1', 'ask', 10, 20),
      ins.bind('r2', t0 + 2000, 'POST', '/v1/chat', 502, 300, 'u1', 'openai-compatible', 'm1', 'ask', 10, 0),
      ins.bind('r3', t0 + 3000, 'GET', '/v1/sync/pull', 200, 10, 'u1', null, null, null, null, null),
      ins.bind('r4', t0 + 61_000, 'GET', '/v1/sync/pull', 200, 20, 'u1', null, null, null, null, null),
      env.DB.prepare("INSERT INTO feedback_events VALUES ('u1', 'f1', ?, 'down', 'worker', 'm1', 'ask@1')").bind(t0 + 5000),
    ]);
    const res = await call(`/owner/api/series?from=${t0}&to=${t0 + 120_000}&bucket=60`, { envOverrides: owner, token: OWNER });
    const body = await json(res);
    expect(body.bucketMs).toBe(60_000);
    expect(body.overall).toHaveLength(2);
    expect(body.overall[0]).toMatchObject({ t: t0, requests: 3, errors: 1, p50: 100, p95: 300, tokensIn: 20, tokensOut: 20, rated: 1, down: 1, downRate: 1 });
    expect(body.routes['POST /v1/chat'][0]).toMatchObject({ requests: 2, errorRate: 0.5 });
    expect(body.models['m1'][0]).toMatchObject({ requests: 2, down: 1 });
    expect(body.models['(no model)'][1]).toMatchObject({ requests: 1, p95: 20 });

    const reqs = await json(await call(`/owner/api/requests?from=${t0}&to=${t0 + 120_000}&route=${encodeURIComponent('POST /v1/chat')}&errors=1`, { envOverrides: owner, token: OWNER }));
    expect(reqs.requests.map((r: any) => r.requestId)).toEqual(['r2']);
    expect((await call('/owner/api/series?bucket=0', { envOverrides: owner, token: OWNER })).status).toBe(400);
  });
});

describe('GET /v1/usage/activity', () => {
  it("returns only the caller's own requests", async () => {
    const a = await newAccount('A');
    const b = await newAccount('B');
    await call('/v1/me', { token: a.token });
    await call('/v1/me', { token: a.token });
    await call('/v1/me', { token: b.token });
    const body = await json(await call('/v1/usage/activity', { token: a.token }));
    expect(body.routes['GET /v1/me'].reduce((n: number, x: any) => n + x.requests, 0)).toBe(2);
    expect(body.bucketMs).toBe(3_600_000);
  });
});

/** Fills request_events with `minutes` one-minute buckets of traffic on POST /v1/chat; `failing(i)` says
 * whether bucket i's requests fail. Deterministic latencies (no randomness needed). */
async function seedTraffic(start: number, minutes: number, failing: (i: number) => boolean) {
  const ins = env.DB.prepare('INSERT INTO request_events (request_id, at, method, route, status, ms) VALUES (?, ?, ?, ?, ?, ?)');
  const rows = [];
  for (let i = 0; i < minutes; i++) {
    for (let k = 0; k < 8; k++) rows.push(ins.bind(`r${i}_${k}`, start + i * 60_000 + k * 7000, 'POST', '/v1/chat', failing(i) ? 502 : 200, 80 + ((i * 7 + k * 13) % 23)));
  }
  for (let i = 0; i < rows.length; i += 400) await env.DB.batch(rows.slice(i, i + 400));
}

describe('scheduled anomaly detection', () => {
  const monitorEnv = (over: Partial<Env> = {}): Env => ({ ...env, MONITOR_BUCKET_SECONDS: '60', MONITOR_LOOKBACK_BUCKETS: '120', MONITOR_WEBHOOK_URL: 'https://hooks.example.test/T000/B000/x', MONITOR_PUBLIC_URL: 'https://api.example.test', ...over });

  it('raises one alert for a run of failing minutes, posts it once (Slack JSON) and lists it for the owner', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 30);
    const start = Date.UTC(2026, 0, 1, 10, 30);
    // Minutes 80–90 fail; minute 90 (12:00) is still filling at the first run, complete at the second.
    await seedTraffic(start, 91, (i) => i >= 80);
    const posts: { url: string; body: any }[] = [];
    const poster = async (url: string, init: RequestInit) => {
      posts.push({ url, body: JSON.parse(String(init.body)) });
      return new Response('ok');
    };
    const run = await runDetection(monitorEnv(), now, poster);
    const errorAlerts = run.created.filter((a) => a.series.startsWith('error_rate'));
    expect(errorAlerts.map((a) => a.series).sort()).toEqual(['error_rate', 'error_rate POST /v1/chat']);
    const chat = errorAlerts.find((a) => a.series === 'error_rate POST /v1/chat')!;
    expect(chat).toMatchObject({ direction: 'up', startedAt: start + 80 * 60_000, value: 1, expected: 0, closed: false });
    expect(chat.score).toBeGreaterThan(10);
    expect(chat.link).toBe(`https://api.example.test/owner/dashboard#requests?from=${start + 80 * 60_000}&to=${start + 90 * 60_000}&route=POST+%2Fv1%2Fchat`);
    expect(run.posted).toBe(run.created.length);
    const text = posts.find((p) => p.body.text.includes('error_rate POST /v1/chat'))!.body.text as string;
    expect(text).toContain('1.00 where 0.000 was expected');
    expect(text).toContain('CalicoLobster shift (up)');
    expect(text).toContain(`<${chat.link}|Requests>`);
    expect(posts.every((p) => p.url === 'https://hooks.example.test/T000/B000/x')).toBe(true);

    // The next run sees the same incident: no new alert, nothing posted again.
    const again = await runDetection(monitorEnv(), now + 60_000, poster);
    expect(again.created).toEqual([]);
    expect(posts).toHaveLength(run.created.length);

    const listed = await json<{ alerts: StoredAlert[] }>(await call('/owner/api/alerts', { envOverrides: { ...monitorEnv(), ...owner }, token: OWNER }));
    expect(listed.alerts.map((a) => a.id).sort()).toEqual(run.created.map((a) => a.id).sort());
  });

  it('stays quiet on steady traffic, and keeps a failed post to retry', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 30);
    await seedTraffic(Date.UTC(2026, 0, 1, 10, 30), 90, () => false);
    expect((await runDetection(monitorEnv(), now, async () => new Response('ok'))).created).toEqual([]);

    await seedTraffic(Date.UTC(2026, 0, 1, 12, 0), 10, () => true);
    const down = await runDetection(monitorEnv(), Date.UTC(2026, 0, 1, 12, 10, 30), async () => new Response('nope', { status: 500 }));
    expect(down.created.length).toBeGreaterThan(0);
    expect(down.posted).toBe(0);
    expect(down.created[0]!.postError).toBe('webhook answered HTTP 500');
    const retried = await runDetection(monitorEnv(), Date.UTC(2026, 0, 1, 12, 11, 30), async () => new Response('ok'));
    expect(retried.posted).toBeGreaterThanOrEqual(down.created.length);
    const unposted = await env.DB.prepare('SELECT count(*) AS n FROM monitor_alerts WHERE posted_at IS NULL').first<{ n: number }>();
    expect(unposted!.n).toBe(0);
  });

  it('the detection cron runs detection; the daily cron still runs the account cleanup', async () => {
    await seedTraffic(Date.now() - 100 * 60_000, 100, (i) => i >= 90);
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: DETECTION_CRON, scheduledTime: Date.now() }), monitorEnv({ MONITOR_WEBHOOK_URL: '' }), ctx);
    await waitOnExecutionContext(ctx);
    const alerts = (await env.DB.prepare('SELECT series FROM monitor_alerts').all<{ series: string }>()).results.map((r) => r.series);
    expect(alerts).toContain('error_rate POST /v1/chat');

    await env.DB.prepare('DELETE FROM monitor_alerts').run();
    await env.DB.prepare("INSERT INTO counters VALUES ('stale', 0, 1)").run();
    const ctx2 = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }), monitorEnv(), ctx2);
    await waitOnExecutionContext(ctx2);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM monitor_alerts').first<{ n: number }>())!.n).toBe(0);
    expect(await env.DB.prepare("SELECT * FROM counters WHERE bucket = 'stale'").first()).toBeNull();
  });
});
