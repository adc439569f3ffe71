/**
 * Whether the account directory (D1) has every migration this worker's code expects. Without them the
 * first query fails with "no such table" and every route, /v1/health included, used to answer 500
 * "internal error"; with this check the worker says what is missing and the command that fixes it.
 */

/** The files in worker/migrations, in order. schema-state.test.ts fails when they disagree, so a new
 * migration can't be forgotten here. */
export const EXPECTED_MIGRATIONS = ['0001_accounts.sql', '0002_device_trust.sql', '0003_monitoring.sql', '0004_shopify_stores.sql', '0005_billing.sql', '0006_web_search_cache.sql'] as const;

/** The database's name in wrangler.toml; on Cloudflare the same command takes --remote. */
export const MIGRATE_COMMAND = 'npx wrangler d1 migrations apply calicolobster --local';

export interface SchemaState {
  current: boolean;
  applied: string[];
  expected: string[];
  missing: string[];
}

/** Reads wrangler's migration ledger (`d1_migrations`, which `wrangler d1 migrations apply` writes). */
export async function readSchemaState(db: D1Database): Promise<SchemaState> {
  let applied: string[] = [];
  try {
    const { results } = await db.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    applied = results.map((r) => r.name);
  } catch (error) {
    // No ledger yet: nothing was ever applied. Anything else (D1 itself failing) is a real error.
    if (!/no such table/i.test(String((error as Error)?.message ?? error))) throw error;
  }
  const missing = EXPECTED_MIGRATIONS.filter((name) => !applied.includes(name));
  return { current: missing.length === 0, applied, expected: [...EXPECTED_MIGRATIONS], missing };
}

export function notMigratedMessage(state: SchemaState): string {
  return `the database is missing migration(s) ${state.missing.join(', ')}: run \`${MIGRATE_COMMAND}\` (on Cloudflare: --remote), then retry`;
}

/** Databases seen fully migrated by this isolate: migrations are never undone, so once is enough and
 * requests after the first cost no query. A database still missing some is checked again on every
 * request, so applying the migrations while the worker runs is enough. */
const verified = new WeakSet<D1Database>();

export async function schemaIsCurrent(db: D1Database): Promise<SchemaState | true> {
  if (verified.has(db)) return true;
  const state = await readSchemaState(db);
  if (!state.current) return state;
  verified.add(db);
  return true;
}
