import type { Highlight } from '@shared/schemas/records';
import { createDb, type CalicoDb } from '@/db/database';
import { memoryArea, type KeyValueArea } from '../key-value-area';
import { syncNow, type SyncDeps, type SyncReason } from '../sync-engine';
import type { MemoryServer } from './memory-server';

/** A simulated device for unit tests: its own IndexedDB (fake-indexeddb) and its own chrome.storage.local. */
export interface TestDevice {
  db: CalicoDb;
  area: KeyValueArea;
  deps: SyncDeps;
  sync(reason?: SyncReason): ReturnType<typeof syncNow>;
}

let n = 0;

export function makeDevice(server: MemoryServer, extra: Partial<SyncDeps> = {}): TestDevice {
  const db = createDb(`sync-test-${Date.now()}-${++n}`);
  const area = memoryArea();
  const deps: SyncDeps = { db, area, fetch: server.fetch, ...extra };
  return { db, area, deps, sync: (reason = 'manual') => syncNow(reason, deps) };
}

export const WORKER = 'http://sync.test';

export function highlight(id: string, patch: Partial<Highlight> = {}): Highlight {
  const text = patch.text ?? `passage ${id}`;
  return {
    id,
    url: 'https://example.com/article',
    site: 'example.com',
    pageTitle: 'An article',
    text,
    color: 'yellow',
    note: '',
    selectors: [{ type: 'TextQuoteSelector', exact: text, prefix: '', suffix: '' }],
    anchorStatus: 'anchored',
    createdAt: 1_764_000_000_000,
    updatedAt: 1_764_000_000_000,
    ...patch,
  };
}
