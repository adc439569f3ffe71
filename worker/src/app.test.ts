import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiErrorBody } from '../../shared/schemas/cloud';
import { call, json, newAccount, resetDb } from '../test/helpers';

beforeEach(resetDb);
afterEach(() => {
  vi.useRealTimers();
});

/** The limits count in fixed one-minute windows: a test whose requests straddled a window boundary
 * would see its count reset, so the rate-limit tests run at a pinned time in the middle of a window. */
function pinClockMidWindow(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-25T12:00:20Z'));
  expect(Date.now()).toBe(Date.parse('2026-11-25T12:00:20Z'));
}

describe('errors, limits, logs and metrics', () => {
  it('answers unknown routes with a JSON 404 carrying the request id', async () => {
    const res = await call('/nope', { headers: { 'x-request-id': 'req_test_123456' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req_test_123456');
    const body = ApiErrorBody.parse(await json(res));
    expect(body.error).toMatchObject({ code: 'not_found', requestId: 'req_test_123456' });
  });

  it('makes up a request id when the client sends none (or a junk one)', async () => {
    const res = await call('/v1/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rate limits per IP with 429 and Retry-After', async () => {
    pinClockMidWindow();
    // Addresses tell clients apart only where Cloudflare's edge sets the header (see http/client-ip.ts).
    const overrides = { RATE_LIMIT_IP_PER_MIN: '3', TRUST_CF_CONNECTING_IP: '1' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('/v1/health', { envOverrides: overrides, ip: '198.51.100.7' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call('/v1/health', { envOverrides: overrides, ip: '198.51.100.7' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited)).error.code).toBe('rate_limited');
    // Another address is unaffected.
    expect((await call('/v1/health', { envOverrides: overrides, ip: '198.51.100.8' })).status).toBe(200);
  });

  it('rate limits per user across all of that user’s devices and addresses', async () => {
    pinClockMidWindow();
    const a = await newAccount();
    const b = await newAccount();
    const overrides = { RATE_LIMIT_USER_PER_MIN: '2' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('/v1/me', { token: a.token, envOverrides: overrides, ip: `192.0.2.${i}` })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await call('/v1/me', { token: b.token, envOverrides: overrides })).status).toBe(200);
  });

  it('413s oversized bodies on ordinary routes', async () => {
    const a = await newAccount();
    const res = await call('/v1/search', { method: 'POST', token: a.token, body: JSON.stringify({ q: 'x'.repeat(1024 * 1024 + 1) }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('never 500s on malformed input', async () => {
    const a = await newAccount();
    const weird = ['null', '[]', '"str"', '1e999', '{"__proto__":{"x":1}}', '\u0000', ''];
    for (const path of ['/v1/accounts', '/v1/pairing/join', '/v1/sync/push', '/v1/search', '/v1/chat', '/v1/write']) {
      for (const body of weird) {
        const res = await call(path, { method: 'POST', token: a.token, body, headers: { 'content-type': 'application/json' } });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      }
    }
    expect((await call('/v1/records/nonsense/abc', { token: a.token })).status).toBe(400);
    expect((await call('/v1/devices/%E0%A4%A', { method: 'DELETE', token: a.token })).status).toBeLessThan(500);
  });

  it('writes one structured JSON log line per request', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await call('/v1/health', { envOverrides: { LOG_REQUESTS: '1' }, headers: { 'x-request-id': 'req_log_check_1' } });
      const lines = spy.mock.calls.map((c) => JSON.parse(String(c[0])));
      expect(lines).toContainEqual(expect.objectContaining({ requestId: 'req_log_check_1', method: 'GET', route: '/v1/health', status: 200, level: 'info' }));
    } finally {
      spy.mockRestore();
    }
  });

  it('counts requests and latency per route pattern in the readout, for the operator only', async () => {
    const a = await newAccount();
    await call('/v1/devices/dev_aaaaaaaaaaaaaaaaaaaa', { method: 'DELETE', token: a.token });
    await call('/v1/devices/dev_bbbbbbbbbbbbbbbbbbbb', { method: 'DELETE', token: a.token });
    const operator = { METRICS_TOKEN: 'metrics-secret-for-tests' };
    const { routes } = await json(await call('/v1/metrics', { envOverrides: operator, headers: { authorization: 'Bearer metrics-secret-for-tests' } }));
    const revoke = routes['DELETE /v1/devices/:id'];
    expect(revoke.count).toBeGreaterThanOrEqual(2);
    expect(revoke.meanMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(routes).some((k) => k.includes('dev_aaaa'))).toBe(false);
  });

  it('keeps /v1/metrics private: off unless METRICS_TOKEN is set, and then only with it (issue 9)', async () => {
    const a = await newAccount();
    // The shipped configuration (wrangler.toml) sets no token: nobody reads metrics.
    const off = await call('/v1/metrics');
    expect(off.status).toBe(404);
    expect((await json(off)).error.message).toMatch(/METRICS_TOKEN/);
    const operator = { METRICS_TOKEN: 'metrics-secret-for-tests' };
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${a.token}` }, { authorization: 'metrics-secret-for-tests' }]) {
      const res = await call('/v1/metrics', { envOverrides: operator, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.text()).not.toContain('/v1/');
    }
  });

  it('sends data points to Analytics Engine when bound', async () => {
    const points: unknown[] = [];
    const ANALYTICS = { writeDataPoint: (p: unknown) => points.push(p) } as unknown as AnalyticsEngineDataset;
    await call('/v1/health', { envOverrides: { ANALYTICS } });
    expect(points).toEqual([expect.objectContaining({ blobs: ['/v1/health', 'GET', '2xx'], indexes: ['/v1/health'] })]);
  });

  it('answers CORS preflights from extension pages', async () => {
    const res = await call('/v1/sync/pull', { method: 'OPTIONS', headers: { origin: 'chrome-extension://abc', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
