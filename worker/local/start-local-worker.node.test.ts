import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '../../shared/sync/api-client';
import { formatHlc } from '../../shared/sync/hlc';
import { startLocalWorker, type LocalWorker } from './start-local-worker';

// Smoke test of the real local run: `wrangler dev --local` on loopback, offline env, migrations
// applied by wrangler. Two devices of one account share a highlight through it.
let worker: LocalWorker;

beforeAll(async () => {
  worker = await startLocalWorker();
}, 120_000);
afterAll(() => worker?.stop());

describe('wrangler dev --local', () => {
  it('serves the worker: account, pairing, push on one device, pull and search on the other', async () => {
    const anon = new CloudClient({ baseUrl: worker.url });
    const first = await anon.createAccount('Laptop');
    const laptop = anon.withToken(first.token);
    const { code } = await laptop.createPairingCode();
    const second = await anon.join(code, 'Desktop');
    const desktop = anon.withToken(second.token);

    const id = 'hl_smoke_0001';
    const data = {
      id,
      url: 'https://example.com/a',
      site: 'example.com',
      pageTitle: 'Smoke',
      text: 'Lobsters molt as they grow.',
      color: 'yellow' as const,
      selectors: [{ type: 'TextQuoteSelector' as const, exact: 'Lobsters molt as they grow.' }],
      createdAt: 1,
      updatedAt: 1,
    };
    const pushed = await laptop.push({ pushId: 'push_smoke_0001', changes: [{ op: 'put', kind: 'highlight', key: id, hlc: formatHlc({ ms: Date.now(), counter: 0, node: first.deviceId }), data }] });
    expect(pushed.outcomes).toEqual(['applied']);

    const page = await desktop.pull();
    expect(page.records.map((r) => r.key)).toEqual([id]);
    expect((await desktop.devices()).devices).toHaveLength(2);
  });
});
