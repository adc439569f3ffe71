import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { createDb, RECORD_TABLES, type CalicoDb } from '@/db/database';
import { putRecords, writeCursor } from '@/db/change-log';
import { compactChangeLog, COMPACT_PERIOD_MINUTES } from '@/db/compaction';

/**
 * How big the local database gets after a month of browsing, with and without change-log compaction.
 *
 * A seeded simulation drives the real write path (extension/db/change-log.ts, fake-indexeddb): each
 * browsing minute opens a page view (a visit, a captured page of ~5 KB text, sometimes a search) whose
 * visit row is rewritten by a heartbeat every 15 s, the way the capture content script does. The log's
 * consumers move as they do in the extension: sync every minute, the embedding queue every 10 minutes,
 * the keyword index once a day (when the side panel is opened). Compaction runs on its hourly alarm.
 * Without compaction every entry ever appended stays, so that figure is the appended count (nothing
 * else deletes log entries). Sizes are UTF-8 bytes of each row's JSON: IndexedDB's own files differ by
 * a constant factor, the ratio between tables does not.
 */

export interface GrowthOptions {
  days?: number;
  /** Browsing hours a day. */
  hoursPerDay?: number;
  /** Minutes one page stays open (heartbeats every 15 s meanwhile). */
  minutesPerPage?: number;
  seed?: number;
  log?: (s: string) => void;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();
const bytesOf = (row: unknown) => encoder.encode(JSON.stringify(row)).length;

async function tableBytes(db: CalicoDb, table: string): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  await db.table(table).each((row) => {
    rows++;
    bytes += bytesOf(row);
  });
  return { rows, bytes };
}

const WORDS = 'the of and to in memory browser page note search result reading article highlight sync device history time local'.split(' ');

export async function runChangeLogGrowth(options: GrowthOptions = {}): Promise<Record<string, unknown>[]> {
  const { days = 30, hoursPerDay = 4, minutesPerPage = 2, seed = 9, log = () => undefined } = options;
  const random = rng(seed);
  const db = createDb(`bench-change-log-${Date.now()}`);
  const started = performance.now();
  let appended = 0;
  let appendedBytes = 0;
  let maxLogRows = 0;
  let now = Date.UTC(2026, 10, 1, 8);
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  let lastSeq = 0;
  // Each write logs one entry { table, key, op, at, seq }: counted as it is appended, without reading it back.
  const logged = async (table: string, key: string, write: () => Promise<void>) => {
    await write();
    appended++;
    appendedBytes += bytesOf({ table, key, op: 'put', at: Date.now(), seq: ++lastSeq });
  };

  let pageNo = 0;
  for (let day = 0; day < days; day++) {
    const dayStart = now;
    for (let minute = 0; minute < hoursPerDay * 60; minute += minutesPerPage) {
      pageNo++;
      const id = `visit_${String(pageNo).padStart(8, '0')}`;
      const url = `https://site${Math.floor(random() * 200)}.example/article/${Math.floor(random() * 5000)}`;
      const t = dayStart + minute * 60_000;
      let searchId: string | null = null;
      if (random() < 0.15) {
        searchId = `search_${String(pageNo).padStart(8, '0')}`;
        const query = text(3);
        await logged('searches', searchId, () => putRecords('searches', [{ id: searchId!, engine: 'Bing', query, url: `https://www.bing.com/search?q=${encodeURIComponent(query)}`, site: 'www.bing.com', createdAt: t, updatedAt: t }], db));
      }
      const visit = { id, url, site: new URL(url).hostname, title: text(6), referrer: null, searchId, transition: 'load' as const, startedAt: t, endedAt: t, activeMs: 0, updatedAt: t };
      await logged('visits', id, () => putRecords('visits', [visit], db));
      await logged('pages', url, () => putRecords('pages', [{ url, site: visit.site, title: visit.title, text: text(800), excerpt: '', byline: '', siteName: '', lang: 'en', wordCount: 800, truncated: false, capturedAt: t, updatedAt: t }], db));
      for (let beat = 1; beat <= (minutesPerPage * 60) / 15; beat++) {
        const at = t + beat * 15_000;
        await logged('visits', id, () => putRecords('visits', [{ ...visit, endedAt: at, activeMs: beat * 15_000, updatedAt: at }], db));
      }
      // Consumers and the alarm, on the simulated clock.
      await writeCursor('sync', lastSeq, db);
      if (minute % 10 < minutesPerPage) await writeCursor('embedder', lastSeq, db);
      if (minute % COMPACT_PERIOD_MINUTES < minutesPerPage) {
        maxLogRows = Math.max(maxLogRows, await db.changes.count());
        await compactChangeLog(db);
      }
    }
    maxLogRows = Math.max(maxLogRows, await db.changes.count());
    await writeCursor('keyword-index', lastSeq, db);
    now += 86_400_000;
    log(`day ${day + 1}/${days}: ${appended} log entries appended, ${await db.changes.count()} kept`);
    if ((await db.changes.orderBy('seq').lastKey()) !== lastSeq) throw new Error('the simulation lost count of log entries');
  }
  await compactChangeLog(db);

  const tables: Record<string, { rows: number; bytes: number }> = {};
  for (const table of [...RECORD_TABLES, 'changes', 'cursors']) tables[table] = await tableBytes(db, table);
  const records = RECORD_TABLES.reduce((sum, t) => sum + tables[t]!.bytes, 0);
  const withCompaction = records + tables.changes!.bytes;
  const withoutCompaction = records + appendedBytes;
  db.close();
  await Dexie.delete(db.name);
  return [
    {
      bench: 'change-log',
      days,
      hoursPerDay,
      pageViews: pageNo,
      logEntriesAppended: appended,
      logEntriesKept: tables.changes!.rows,
      logEntriesPeak: maxLogRows,
      logBytesWithoutCompaction: appendedBytes,
      logBytesWithCompaction: tables.changes!.bytes,
      recordBytes: records,
      databaseBytesWithoutCompaction: withoutCompaction,
      databaseBytesWithCompaction: withCompaction,
      tables,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
  ];
}
