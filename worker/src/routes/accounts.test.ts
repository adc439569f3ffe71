import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceCredentials, DeviceList, PairingCode } from '../../../shared/schemas/cloud';
import { sha256Hex } from '../auth/crypto';
import { call, env, json, newAccount, pairSecondDevice, resetDb } from '../../test/helpers';

beforeEach(resetDb);

describe('POST /v1/accounts', () => {
  it('creates an account and returns a device token that works', async () => {
    const res = await call('/v1/accounts', { method: 'POST', json: { deviceName: 'Laptop' } });
    expect(res.status).toBe(201);
    const creds = DeviceCredentials.parse(await json(res));
    const me = await json(await call('/v1/me', { token: creds.token }));
    expect(me).toEqual({ userId: creds.userId, deviceId: creds.deviceId, deviceName: 'Laptop' });
  });

  it('stores only the SHA-256 of the token', async () => {
    const creds = await newAccount();
    const row = await env.DB.prepare('SELECT token_hash FROM devices WHERE id = ?').bind(creds.deviceId).first<{ token_hash: string }>();
    expect(row!.token_hash).toBe(await sha256Hex(creds.token));
    const leaked = await env.DB.prepare('SELECT count(*) AS n FROM devices WHERE token_hash = ?').bind(creds.token).first<{ n: number }>();
    expect(leaked!.n).toBe(0);
  });

  it('400s with the field that was wrong', async () => {
    const res = await call('/v1/accounts', { method: 'POST', json: { deviceName: '' } });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.issues[0].path).toBe('deviceName');
    expect(body.error.requestId).toBeTruthy();
  });

  it('400s on a body that is not JSON', async () => {
    const res = await call('/v1/accounts', { method: 'POST', body: '{"deviceName": "La', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/JSON/);
  });
});

describe('pairing', () => {
  it('lets a second device join with a code from the first, with its own token', async () => {
    const first = await newAccount('Laptop');
    const res = await call('/v1/pairing', { method: 'POST', token: first.token });
    expect(res.status).toBe(201);
    const { code, expiresAt } = PairingCode.parse(await json(res));
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    // Typed with a dash and lower case, as people do.
    const join = await call('/v1/pairing/join', { method: 'POST', json: { code: `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`, deviceName: 'Desktop' } });
    expect(join.status).toBe(201);
    const second = DeviceCredentials.parse(await json(join));
    expect(second.userId).toBe(first.userId);
    expect(second.deviceId).not.toBe(first.deviceId);
    expect(second.token).not.toBe(first.token);
  });

  it('a code works once (409 after), unknown codes 404, expired codes 404', async () => {
    const first = await newAccount();
    const { code } = await json(await call('/v1/pairing', { method: 'POST', token: first.token }));
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName: 'A' } })).status).toBe(201);
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code, deviceName: 'B' } })).status).toBe(409);
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code: 'ZZZZZZZZ', deviceName: 'C' } })).status).toBe(404);

    const fresh = await json(await call('/v1/pairing', { method: 'POST', token: first.token }));
    await env.DB.prepare('UPDATE pairing_codes SET expires_at = ? WHERE user_id = ?').bind(Date.now() - 1, first.userId).run();
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code: fresh.code, deviceName: 'D' } })).status).toBe(404);
  });

  it('validates the code shape and needs a token to make a code', async () => {
    expect((await call('/v1/pairing/join', { method: 'POST', json: { code: 'short', deviceName: 'A' } })).status).toBe(400);
    expect((await call('/v1/pairing', { method: 'POST' })).status).toBe(401);
  });

  it('limits guesses per IP', async () => {
    const overrides = { RATE_LIMIT_JOIN_PER_MIN: '3' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('/v1/pairing/join', { method: 'POST', json: { code: `GUESS00${i}`, deviceName: 'X' }, envOverrides: overrides, ip: '203.0.113.9' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });
});

describe('devices', () => {
  it('lists the account’s devices and marks the current one', async () => {
    const first = await newAccount('Laptop');
    const second = await pairSecondDevice(first, 'Desktop');
    const res = await call('/v1/devices', { token: second.token });
    expect(res.status).toBe(200);
    const { devices } = DeviceList.parse(await json(res));
    expect(devices.map((d) => [d.name, d.current])).toEqual([
      ['Laptop', false],
      ['Desktop', true],
    ]);
  });

  it('revokes a device: its token stops working at once, the others keep working', async () => {
    const first = await newAccount();
    const second = await pairSecondDevice(first);
    const res = await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: first.token });
    expect(res.status).toBe(200);
    const refused = await call('/v1/me', { token: second.token });
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.code).toBe('unauthorized');
    expect((await call('/v1/me', { token: first.token })).status).toBe(200);
    expect((await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: first.token })).status).toBe(409);
    expect((await call('/v1/devices/dev_doesnotexist', { method: 'DELETE', token: first.token })).status).toBe(404);
  });

  it('401s without a token, with a malformed one, and with an unknown one', async () => {
    expect((await call('/v1/devices')).status).toBe(401);
    expect((await call('/v1/devices', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await call('/v1/devices', { token: 'clt_' + 'A'.repeat(43) })).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const account = await newAccount();
    await env.DB.prepare('UPDATE devices SET expires_at = ? WHERE id = ?').bind(Date.now() - 1000, account.deviceId).run();
    const res = await call('/v1/me', { token: account.token });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toMatch(/expired/);
  });
});
