import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorker, type LocalWorker } from './start-local-worker';
import { DEFAULT_PLANS } from '../src/billing/plans';

/**
 * End to end, on the real local run (`wrangler dev --local`): the worker's model upstream starts
 * failing for a while, the anomaly detection the cron runs (here triggered through the owner API,
 * the same function) finds the incident, and the alert reaches a Slack-compatible webhook.
 *
 * One loopback TEST DOUBLE plays both outside parties: an OpenAI-compatible upstream whose failure is
 * switched on and off by the test, and the incoming webhook that records what it was sent.
 */
interface Double {
  url: string;
  failing: boolean;
  hooks: { text: string }[];
  close(): Promise<void>;
}

function startDouble(): Promise<Double> {
  const state = { failing: false, hooks: [] as { text: string }[] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/hook') {
        state.hooks.push(JSON.parse(raw));
        res.writeHead(200).end('ok');
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        if (state.failing) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"test double is failing"}}');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'fine' }, finish_reason: null }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(404).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const double: Double = {
        url: `http://127.0.0.1:${port}`,
        get failing() {
          return state.failing;
        },
        set failing(v: boolean) {
          state.failing = v;
        },
        hooks: state.hooks,
        close: () => new Promise<void>((r) => server.close(() => r())),
      };
      resolve(double);
    }),
  );
}

const OWNER_TOKEN = 'e2e-owner-token-0123456789';
let double: Double;
let worker: LocalWorker;

beforeAll(async () => {
  double = await startDouble();
  worker = await startLocalWorker({
    vars: {
      OPENAI_BASE_URL: `${double.url}/v1`,
      OPENAI_MODEL: 'double-1',
      AI_PROVIDER: 'openai',
      OWNER_TOKEN,
      MONITOR_WEBHOOK_URL: `${double.url}/hook`,
      MONITOR_PUBLIC_URL: 'http://127.0.0.1',
      // One-second buckets so a few seconds of traffic make a series.
      MONITOR_BUCKET_SECONDS: '1',
      MONITOR_MIN_HISTORY: '6',
      MONITOR_MIN_REQUESTS: '2',
      // A plan with room for the test's ~150 requests (Free allows 100 a month).
      PLANS: JSON.stringify(DEFAULT_PLANS.map((p) => (p.id === 'free' ? { ...p, limits: { ...p.limits, chatRequests: null } } : p))),
      RATE_LIMIT_USER_PER_MIN: '100000',
      RATE_LIMIT_IP_PER_MIN: '100000',
      LOG_REQUESTS: '0',
    },
  });
}, 150_000);
afterAll(async () => {
  await worker?.stop();
  await double?.close();
});

async function chatFor(ms: number, token: string): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const res = await fetch(`${worker.url}/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }) });
    await res.text();
    statuses.push(res.status);
    await new Promise((r) => setTimeout(r, 60));
  }
  return statuses;
}

describe('monitoring on the local worker', () => {
  it('posts an alert to the webhook when the worker starts failing', async () => {
    const account: { token: string } = await (await fetch(`${worker.url}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceName: 'e2e' }) })).json();
    const healthy = await chatFor(10_000, account.token);
    expect(healthy.every((s) => s === 200)).toBe(true);
    double.failing = true;
    const failing = await chatFor(5_000, account.token);
    expect(failing.every((s) => s === 502)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100)); // the last failing bucket completes

    const owner = { authorization: `Bearer ${OWNER_TOKEN}` };
    expect((await fetch(`${worker.url}/owner/api/detect`, { method: 'POST' })).status).toBe(401);
    const run: { created: { id: string; series: string; startedAt: number; endedAt: number }[] } = await (await fetch(`${worker.url}/owner/api/detect`, { method: 'POST', headers: owner })).json();
    const alert = run.created.find((a) => a.series === 'error_rate POST /v1/chat')!;
    expect(alert, JSON.stringify(run)).toMatchObject({ direction: 'up', value: 1, expected: 0 });

    const hook = double.hooks.find((h) => h.text.includes('error_rate POST /v1/chat'));
    expect(hook?.text).toContain('1.00 where 0.000 was expected');
    expect(hook?.text).toContain('/owner/dashboard#requests?');

    const listed: { alerts: { id: string }[] } = await (await fetch(`${worker.url}/owner/api/alerts`, { headers: owner })).json();
    expect(listed.alerts.map((a) => a.id)).toContain(alert.id);
    const failed: { requests: { status: number }[] } = await (await fetch(`${worker.url}/owner/api/requests?${new URLSearchParams({ from: String(alert.startedAt), to: String(alert.endedAt + 1000), route: 'POST /v1/chat', errors: '1' })}`, { headers: owner })).json();
    expect(failed.requests.length).toBeGreaterThan(0);
    expect(failed.requests.every((r) => r.status === 502)).toBe(true);
    expect((await fetch(`${worker.url}/owner/dashboard`, { headers: owner })).status).toBe(200);
  });
});
