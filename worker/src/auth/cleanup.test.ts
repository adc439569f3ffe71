import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../index';
import { call, env, json, newAccount, resetDb } from '../../test/helpers';

beforeEach(resetDb);

describe('scheduled cleanup', () => {
  it('drops stale counters and dead pairing codes, keeps live ones', async () => {
    const a = await newAccount();
    const live = await json(await call('/v1/pairing', { method: 'POST', token: a.token }));
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare('INSERT INTO counters (bucket, window_start, count) VALUES (?, ?, 1)').bind('ip:old', now - 3 * 86_400_000),
      env.DB.prepare('INSERT INTO pairing_codes (code_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').bind('deadbeef', a.userId, a.deviceId, now - 3 * 86_400_000, now - 2 * 86_400_000),
    ]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(now), cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    log.mockRestore();
    const counters = await env.DB.prepare('SELECT bucket FROM counters').all<{ bucket: string }>();
    expect(counters.results.map((r) => r.bucket)).not.toContain('ip:old');
    expect(counters.results.length).toBeGreaterThan(0);
    const codes = await env.DB.prepare('SELECT code_hash FROM pairing_codes').all<{ code_hash: string }>();
    expect(codes.results.map((r) => r.code_hash)).not.toContain('deadbeef');
    expect(codes.results).toHaveLength(1);
    // The live code still joins.
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code: live.code, deviceName: 'B' } })).status).toBe(201);
  });
});
