import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceCredentials, DeviceList, PairingCode } from '../../../shared/schemas/cloud';
import { MAX_CODE_ATTEMPTS } from '../auth/accounts';
import { sha256Hex } from '../auth/crypto';
import { call, env, json, newAccount, pairSecondDevice, resetDb } from '../../test/helpers';

beforeEach(resetDb);
afterEach(() => {
  vi.useRealTimers();
});

/** Limits count in fixed one-minute windows: pin the clock mid-window so a test can't straddle one. */
function pinClockMidWindow(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-25T12:00:20Z'));
}

const showCode = async (token: string) => (await json<{ code: string }>(await call('/v1/pairing', { method: 'POST', token }))).code;
const join = (code: string, deviceName: string, init: Parameters<typeof call>[1] = {}) =>
  call('/v1/pairing/join', { method: 'POST', json: { code, deviceName }, ...init });

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

describe('pairing codes die with their device and with newer codes (issue 9)', () => {
  it('a code shown by a device that is then signed out no longer joins', async () => {
    const laptop = await newAccount('Laptop');
    const phone = await pairSecondDevice(laptop, 'Phone');
    const code = await showCode(phone.token);
    expect((await call(`/v1/devices/${phone.deviceId}`, { method: 'DELETE', token: laptop.token })).status).toBe(200);
    const res = await join(code, 'Thief');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
    const { devices } = DeviceList.parse(await json(await call('/v1/devices', { token: laptop.token })));
    expect(devices.map((d) => d.name)).toEqual(['Laptop', 'Phone']);
  });

  it('a code whose device was signed out by other means (expired) no longer joins either', async () => {
    const laptop = await newAccount('Laptop');
    const phone = await pairSecondDevice(laptop, 'Phone');
    const code = await showCode(phone.token);
    await env.DB.prepare('UPDATE devices SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, phone.deviceId).run();
    expect((await join(code, 'Tablet')).status).toBe(404);
  });

  it('showing a new code retires every older one of the account', async () => {
    const laptop = await newAccount('Laptop');
    const phone = await pairSecondDevice(laptop, 'Phone');
    const older = await showCode(laptop.token);
    const oldest = await showCode(phone.token);
    const newest = await showCode(laptop.token);
    expect((await join(older, 'Tablet')).status).toBe(404);
    expect((await join(oldest, 'Tablet')).status).toBe(404);
    expect((await join(newest, 'Tablet')).status).toBe(201);
  });
});

describe('who may sign out whom (issue 9): a device signs out itself and devices paired after it', () => {
  it('a newer device cannot sign out an older one; the older one can sign out the newer', async () => {
    const first = await newAccount('First');
    const second = await pairSecondDevice(first, 'Second');
    const third = await pairSecondDevice(second, 'Third');
    const refused = await call(`/v1/devices/${first.deviceId}`, { method: 'DELETE', token: second.token });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/older device/) });
    expect((await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: third.token })).status).toBe(403);
    expect((await call('/v1/me', { token: first.token })).status).toBe(200);
    expect((await call('/v1/me', { token: second.token })).status).toBe(200);

    const { devices } = DeviceList.parse(await json(await call('/v1/devices', { token: second.token })));
    expect(devices.map((d) => [d.name, d.canRevoke])).toEqual([
      ['First', false],
      ['Second', true],
      ['Third', true],
    ]);
    expect((await call(`/v1/devices/${third.deviceId}`, { method: 'DELETE', token: second.token })).status).toBe(200);
    expect((await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: first.token })).status).toBe(200);
    expect((await call('/v1/me', { token: third.token })).status).toBe(401);
    expect((await call('/v1/me', { token: second.token })).status).toBe(401);
  });

  it('any device can sign itself out, the first one included', async () => {
    const first = await newAccount('First');
    const second = await pairSecondDevice(first, 'Second');
    expect((await call(`/v1/devices/${second.deviceId}`, { method: 'DELETE', token: second.token })).status).toBe(200);
    expect((await call(`/v1/devices/${first.deviceId}`, { method: 'DELETE', token: first.token })).status).toBe(200);
    expect((await call('/v1/me', { token: first.token })).status).toBe(401);
  });

  it('same-millisecond devices are ordered by id, so exactly one of them may sign out the other', async () => {
    const first = await newAccount('First');
    const a = await pairSecondDevice(first, 'A');
    const b = await pairSecondDevice(first, 'B');
    const at = Date.now();
    await env.DB.prepare('UPDATE devices SET created_at = ? WHERE id IN (?, ?)').bind(at, a.deviceId, b.deviceId).run();
    const [senior, junior] = a.deviceId < b.deviceId ? [a, b] : [b, a];
    expect((await call(`/v1/devices/${senior.deviceId}`, { method: 'DELETE', token: junior.token })).status).toBe(403);
    expect((await call(`/v1/devices/${junior.deviceId}`, { method: 'DELETE', token: senior.token })).status).toBe(200);
  });
});

describe('device names (issue 9)', () => {
  it('are unique per account among signed-in devices (409 naming the field), case-insensitively', async () => {
    const laptop = await newAccount('Laptop');
    const code = await showCode(laptop.token);
    for (const name of ['Laptop', 'laptop', ' LAPTOP ']) {
      const res = await join(code, name);
      expect(res.status, name).toBe(409);
      const body = await json(res);
      expect(body.error.code).toBe('conflict');
      expect(body.error.issues[0].path).toBe('deviceName');
      expect(body.error.message).toMatch(/already has a device named/);
    }
    // The clash did not use the code up: the same code joins under a free name.
    expect((await join(code, 'Laptop 2')).status).toBe(201);
    // Another account may use any name.
    expect((await call('/v1/accounts', { method: 'POST', json: { deviceName: 'Laptop' } })).status).toBe(201);
  });

  it('a signed-out or expired device gives its name up', async () => {
    const laptop = await newAccount('Laptop');
    const phone = await pairSecondDevice(laptop, 'Phone');
    await call(`/v1/devices/${phone.deviceId}`, { method: 'DELETE', token: laptop.token });
    expect((await join(await showCode(laptop.token), 'Phone')).status).toBe(201);
    const tablet = await pairSecondDevice(laptop, 'Tablet');
    await env.DB.prepare('UPDATE devices SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, tablet.deviceId).run();
    expect((await join(await showCode(laptop.token), 'Tablet')).status).toBe(201);
  });

  it('a code tried too many times with taken names dies', async () => {
    const laptop = await newAccount('Laptop');
    const code = await showCode(laptop.token);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) expect((await join(code, 'Laptop')).status).toBe(409);
    const res = await join(code, 'Fresh name');
    expect(res.status).toBe(404);
    expect((await json(res)).error.message).toMatch(/tried too many times/);
  });

  it('refuse control characters, text-direction overrides and lone surrogates; keep emoji', async () => {
    for (const name of ['Evil\u0001name', 'tab\there', 'new\nline', 'C1\u0085x', 'Phone \u202Eenotsi', 'lone \uD800 high', 'lone \uDC00 low', 'line\u2028sep']) {
      const res = await call('/v1/accounts', { method: 'POST', json: { deviceName: name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect((await json(res)).error.issues[0].path).toBe('deviceName');
    }
    const account = await newAccount('Dad’s 👨\u200D💻 laptop');
    expect((await json(await call('/v1/me', { token: account.token }))).deviceName).toBe('Dad’s 👨\u200D💻 laptop');
    // Two encodings of one name are one name (NFC).
    const code = await showCode(account.token);
    expect((await join(code, 'Cafe\u0301')).status).toBe(201);
    expect((await join(await showCode(account.token), 'Caf\u00e9')).status).toBe(409);
  });
});

describe('guessing pairing codes (issue 9)', () => {
  it('a client rotating CF-Connecting-IP stays in one bucket unless the deployment trusts the header', async () => {
    pinClockMidWindow();
    const limits = { RATE_LIMIT_JOIN_PER_MIN: '3' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await join(`GUESS00${i}`, 'X', { envOverrides: limits, ip: `203.0.113.${i}` })).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    // On Cloudflare the edge sets the header, so there it does tell clients apart.
    const trusted = { ...limits, TRUST_CF_CONNECTING_IP: '1' };
    expect((await join('GUESS009', 'X', { envOverrides: trusted, ip: '203.0.113.50' })).status).toBe(404);
  });

  it('wrong guesses from all addresses together are capped, before the code is even looked at', async () => {
    pinClockMidWindow();
    const laptop = await newAccount('Laptop');
    const code = await showCode(laptop.token);
    const limits = { TRUST_CF_CONNECTING_IP: '1', RATE_LIMIT_JOIN_FAILURES_PER_MIN: '3' };
    // A right code is not a guess: it never counts.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await join(`WRONG00${i}`, 'X', { envOverrides: limits, ip: `198.51.100.${i}` })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const blocked = await join(code, 'Phone', { envOverrides: limits, ip: '198.51.100.77' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The next window, the right code joins.
    vi.setSystemTime(new Date('2026-11-25T12:01:20Z'));
    expect((await join(code, 'Phone', { envOverrides: limits, ip: '198.51.100.77' })).status).toBe(201);
  });
});
