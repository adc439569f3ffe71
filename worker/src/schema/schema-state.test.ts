import { applyD1Migrations } from 'cloudflare:test';
import { env as workerEnv } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ApiErrorBody, Health } from '../../../shared/schemas/cloud';
import { call, json, newAccount } from '../../test/helpers';
import { EXPECTED_MIGRATIONS, MIGRATE_COMMAND } from './schema-state';

/** Issue 9 (#10): a worker whose database was never migrated used to answer 500 "internal error" to
 * everything, /v1/health included. */
type Migrations = Parameters<typeof applyD1Migrations>[1];
const testEnv = workerEnv as unknown as { UNMIGRATED_DB: D1Database; PARTIAL_DB: D1Database; TEST_MIGRATIONS: Migrations };

describe('schema state', () => {
  it('knows every migration in worker/migrations, in order', () => {
    expect(testEnv.TEST_MIGRATIONS.map((m) => m.name)).toEqual([...EXPECTED_MIGRATIONS]);
  });

  it('health reports the applied and expected migrations of a migrated database', async () => {
    const res = await call('/v1/health');
    expect(res.status).toBe(200);
    expect(Health.parse(await json(res))).toEqual({ ok: true, schema: { applied: [...EXPECTED_MIGRATIONS], expected: [...EXPECTED_MIGRATIONS], missing: [] } });
  });

  it('an unmigrated database: health is 503 with the state and the command; every route is 503 naming it', async () => {
    const unmigrated = { DB: testEnv.UNMIGRATED_DB };
    const health = await call('/v1/health', { envOverrides: unmigrated });
    expect(health.status).toBe(503);
    expect(await json(health)).toMatchObject({ ok: false, schema: { applied: [], missing: [...EXPECTED_MIGRATIONS] }, fix: MIGRATE_COMMAND });
    for (const [path, init] of [
      ['/v1/accounts', { method: 'POST', json: { deviceName: 'Laptop' } }],
      ['/v1/me', {}],
      ['/v1/sync/pull', { token: 'clt_' + 'A'.repeat(43) }],
      ['/v1/pairing/join', { method: 'POST', json: { code: 'ABCDEFGH', deviceName: 'X' } }],
    ] as const) {
      const res = await call(path, { ...init, envOverrides: unmigrated });
      expect(res.status, path).toBe(503);
      const body = ApiErrorBody.parse(await json(res));
      expect(body.error.code).toBe('unavailable');
      expect(body.error.message).toContain(MIGRATE_COMMAND);
    }
  });

  it('a database missing only the latest migration names that one; applying it while running fixes it', async () => {
    const partial = { DB: testEnv.PARTIAL_DB };
    await applyD1Migrations(testEnv.PARTIAL_DB, testEnv.TEST_MIGRATIONS.slice(0, -1));
    const health = await json(await call('/v1/health', { envOverrides: partial }));
    expect(health.schema.missing).toEqual([EXPECTED_MIGRATIONS.at(-1)]);
    const res = await call('/v1/accounts', { method: 'POST', json: { deviceName: 'Laptop' }, envOverrides: partial });
    expect(res.status).toBe(503);
    expect((await json(res)).error.message).toContain(EXPECTED_MIGRATIONS.at(-1));

    await applyD1Migrations(testEnv.PARTIAL_DB, testEnv.TEST_MIGRATIONS);
    expect((await call('/v1/health', { envOverrides: partial })).status).toBe(200);
    expect((await call('/v1/accounts', { method: 'POST', json: { deviceName: 'Laptop' }, envOverrides: partial })).status).toBe(201);
  });

  it('the migrated directory keeps working (the check is cached, not repeated per request)', async () => {
    const account = await newAccount('Cached');
    expect((await call('/v1/me', { token: account.token })).status).toBe(200);
  });
});
