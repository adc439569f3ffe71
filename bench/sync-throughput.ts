import 'fake-indexeddb/auto';
import type { Highlight } from '@shared/schemas/records';
import { createDb, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import { memoryArea } from '@/sync/key-value-area';
import { createAccount, createPairingCode, joinAccount } from '@/sync/accounts';
import { syncNow, type SyncDeps } from '@/sync/sync-engine';
import type { SyncStatus } from '@/sync/sync-status';
import { startLocalWorker } from '../worker/local/start-local-worker';

/**
 * Sync throughput through the local worker: `wrangler dev --local` (its local D1 and Durable Objects,
 * started the way the e2e suite starts it), two devices running the extension's own sync engine
 * (extension/sync/sync-engine.ts: outbox batches, push, pull, the change log) on fake-indexeddb.
 * Device A writes N highlights through the change log and syncs (push, then its pull); device B joins
 * with a pairing code and syncs (pull). Wall time carries the shared box's load; `client_cpu_ms` is
 * this Node process's CPU (the sync client), the worker's own CPU is in workerd and not counted.
 */

export interface SyncBenchOptions {
  records: number;
  log: (s: string) => void;
}

interface Device {
  db: CalicoDb;
  deps: SyncDeps;
}

function device(name: string): Device {
  const db = createDb(`bench-sync-${name}-${Date.now()}`);
  return { db, deps: { db, area: memoryArea() } };
}

/** A highlight the size a real one has: a passage of ~40 words and, for one in four, a note. */
function highlight(i: number): Highlight {
  const words = ['lobster', 'shell', 'moult', 'ocean', 'reading', 'memory', 'index', 'search', 'calico', 'claw', 'tide', 'harbour'];
  const text = Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
  const at = 1_764_000_000_000 + i * 1_000;
  return {
    id: `hl_bench${String(i).padStart(8, '0')}`,
    url: `https://example.com/articles/${Math.floor(i / 10)}`,
    site: 'example.com',
    pageTitle: `Article ${Math.floor(i / 10)}`,
    text,
    color: 'yellow',
    note: i % 4 === 0 ? `note ${i}: ${text.slice(0, 80)}` : '',
    selectors: [{ type: 'TextQuoteSelector', exact: text, prefix: '', suffix: '' }],
    anchorStatus: 'anchored',
    createdAt: at,
    updatedAt: at,
  };
}

/** Syncs until nothing is left to push or pull, returning the totals and the time it took. A sync that
 * fails (e.g. the worker's rate limit answering 429) is retried as the person's "Sync now" would be. */
async function syncAll(d: Device, want: (s: SyncStatus, pushed: number, pulled: number) => boolean, log: (s: string) => void) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let pushed = 0;
  let pulled = 0;
  let syncs = 0;
  let failures = 0;
  for (;;) {
    const status = await syncNow('manual', d.deps);
    syncs++;
    pushed += status.pushed;
    pulled += status.pulled;
    if (status.state === 'error' || status.error) {
      failures++;
      log(`sync: ${status.error ?? 'error'}; retrying`);
      if (failures > 20) throw new Error(`sync kept failing: ${status.error}`);
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (want(status, pushed, pulled)) break;
    if (status.pushed === 0 && status.pulled === 0) throw new Error(`sync made no progress (pushed ${pushed}, pulled ${pulled})`);
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000, pushed, pulled, syncs, failures };
}

export async function runSyncThroughput(options: SyncBenchOptions): Promise<Record<string, unknown>[]> {
  const { records, log } = options;
  log('sync: starting wrangler dev --local');
  const worker = await startLocalWorker({ startTimeoutMs: 180_000 });
  try {
    const a = device('a');
    const b = device('b');
    await createAccount(worker.url, 'bench A', a.deps);
    const { code } = await createPairingCode(a.deps);
    await joinAccount(worker.url, code, 'bench B', b.deps);

    log(`sync: writing ${records} highlights on device A`);
    const rows = Array.from({ length: records }, (_, i) => highlight(i));
    for (let i = 0; i < rows.length; i += 1000) await putRecords('highlights', rows.slice(i, i + 1000), a.db);
    const bytes = rows.reduce((n, r) => n + JSON.stringify(r).length, 0);

    log('sync: device A pushes');
    const push = await syncAll(a, (_s, pushed) => pushed >= records, log);
    log(`sync: pushed ${push.pushed} in ${push.ms.toFixed(0)} ms`);
    log('sync: device B pulls');
    const pull = await syncAll(b, (_s, _p, pulled) => pulled >= records, log);
    log(`sync: pulled ${pull.pulled} in ${pull.ms.toFixed(0)} ms`);
    const onB = await b.db.highlights.count();
    if (onB < records) throw new Error(`device B holds ${onB} of ${records} highlights after its pull`);

    const line = (direction: 'push' | 'pull', r: typeof push) => ({
      bench: 'sync',
      direction,
      records,
      record_kind: 'highlight',
      json_bytes: bytes,
      transferred: direction === 'push' ? r.pushed : r.pulled,
      total_ms: Math.round(r.ms),
      client_cpu_ms: Math.round(r.cpuMs),
      records_per_s: Math.round((records / r.ms) * 1000),
      syncs: r.syncs,
      retried_failures: r.failures,
      worker: 'wrangler dev --local (D1 + Durable Objects on this machine)',
      runtime: `node ${process.versions.node}`,
    });
    return [line('push', push), line('pull', pull)];
  } finally {
    await worker.stop();
  }
}
