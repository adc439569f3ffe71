import { DurableObject } from 'cloudflare:workers';
import type { SearchHit } from '../../../shared/schemas/cloud';
import type { Change, PushRequest, PushResponse, RecordKind, ServerRecord, VectorSet } from '../../../shared/schemas/sync';
import { HlcClock } from '../../../shared/sync/hlc';
import { applyChange, serverRecordOf, type RecordState, type VectorAction } from '../../../shared/sync/merge';
import { randomHex } from '../auth/crypto';
import type { Env } from '../env';
import { searchableDoc } from './documents';
import { reciprocalRankFusion } from './fusion';
import { base64ToBytes, bytesToBase64, toUnitFloats } from './vector-codec';
import { LocalVectorIndex, VectorizeVectorIndex, type ChunkVector, type VectorIndex } from './vector-index';

/**
 * One SQLite-backed Durable Object per user: that user's sync log, keyword index and vectors.
 *
 * Why a Durable Object and not D1: every request of a user is serialised through one object, so a
 * push applies in one local transaction without cross-request races; the object reads vectors as
 * ArrayBuffers and keeps them in memory (D1 returns BLOBs as JSON arrays — seconds per 10k vectors,
 * PLATFORM.md); and isolation between users is physical — there is no query that could name another
 * user's rows, because they live in another object's database.
 *
 * Tables: `records` holds each record's current merged state (shared/sync/merge.ts) with the cursor
 * sequence of its last change; `fts` is an FTS5 index keyed by the record's row id; `vectors` holds the
 * embedding chunks; `pushes` remembers answered push ids (idempotency).
 */

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS records (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     hlc TEXT NOT NULL,
     state TEXT NOT NULL,
     UNIQUE (kind, key))`,
  `CREATE INDEX IF NOT EXISTS records_seq ON records(seq)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, kind UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')`,
  `CREATE TABLE IF NOT EXISTS vectors (
     doc_id INTEGER NOT NULL,
     chunk INTEGER NOT NULL,
     model TEXT NOT NULL,
     dims INTEGER NOT NULL,
     encoding TEXT NOT NULL,
     scale REAL NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (doc_id, chunk))`,
  `CREATE INDEX IF NOT EXISTS vectors_model ON vectors(model)`,
  `CREATE TABLE IF NOT EXISTS pushes (push_id TEXT PRIMARY KEY, response TEXT NOT NULL, at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS pushes_at ON pushes(at)`,
];

/** Soft cap on one pull page's bytes, records and their vectors together (see pull). */
export const PULL_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * Largest stored state of one record, in UTF-8 bytes. A Durable Object's SQLite refuses a string or
 * row over 2 MB (SQLITE_TOOBIG); this leaves room for the row's key and HLC, and is checked before the
 * row is written, so a record the schema accepts but storage can't hold is refused with a reason.
 */
export const MAX_RECORD_STATE_BYTES = 1_900_000;

/** The UTF-8 size of a record's stored state when it is over MAX_RECORD_STATE_BYTES, else null
 * (without encoding it when it can't be: a UTF-16 unit is at most 3 UTF-8 bytes). */
export function oversizeBytes(text: string): number | null {
  if (text.length * 3 <= MAX_RECORD_STATE_BYTES) return null;
  const bytes = new TextEncoder().encode(text).length;
  return bytes > MAX_RECORD_STATE_BYTES ? bytes : null;
}

/** Thrown inside the push transaction (rolling the whole batch back) when a merged record is too big. */
class RecordTooLarge extends Error {
  constructor(
    readonly kind: RecordKind,
    readonly key: string,
    readonly bytes: number,
  ) {
    super(`record ${kind}/${key} would take ${bytes} bytes`);
  }
}

/** A push the store refused whole (nothing applied): which records, and why. */
export interface PushRefused {
  refused: { kind: RecordKind; key: string; bytes: number; limit: number }[];
}

/** Answered push ids are kept this long: far longer than any client retries a lost response. */
const PUSH_MEMORY_MS = 7 * 86_400_000;

export interface PullPage {
  records: ServerRecord[];
  cursor: string;
  hasMore: boolean;
  serverHlc: string;
}

export interface StoreSearch {
  q: string;
  vector?: number[];
  model?: string;
  kinds?: RecordKind[];
  limit: number;
}

export function cursorOf(seq: number): string {
  return `c${seq}`;
}

export function seqOf(cursor: string): number {
  return cursor === '' ? 0 : Number(cursor.slice(1));
}

/** FTS5 query from free text: every word quoted (so no user text is FTS syntax), any may match; bm25
 * ranks documents matching more of them first. The last word also matches as a prefix (typing). */
export function ftsQuery(text: string): string | null {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' OR ');
}

export interface SnippetMarks {
  start: string;
  end: string;
}

/**
 * Marks for FTS5 snippet(), made fresh for every query from random bytes. Fixed marks (say \u0001 and
 * \u0002) could be typed into a record's text, and a note holding them would come back as a forged
 * "match"; a mark nobody knows in advance can't be.
 */
export function snippetMarks(): SnippetMarks {
  const nonce = randomHex(8);
  return { start: `\u0001${nonce}[`, end: `]${nonce}\u0002` };
}

/** Control characters other than tab and newline say nothing to a reader; they never reach a snippet. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** FTS5 snippet() output with the query's marks → parts, so no HTML is ever produced. */
export function snippetParts(marked: string, marks: SnippetMarks): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  const add = (text: string, match: boolean) => {
    const clean = text.replace(CONTROL, '');
    if (clean) parts.push({ text: clean, match });
  };
  for (const piece of marked.split(marks.start)) {
    const end = piece.indexOf(marks.end);
    if (end === -1) {
      add(piece, false);
      continue;
    }
    add(piece.slice(0, end), true);
    add(piece.slice(end + marks.end.length), false);
  }
  return parts;
}

export class UserStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly clock: HlcClock;
  private readonly local: LocalVectorIndex;
  /** Test-only fault injection: throw after applying this many changes of a push (proves atomicity). */
  failAfterChangesForTesting: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
    const last = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'hlc'`).toArray()[0]?.v;
    this.clock = new HlcClock('server', { maxDriftMs: Number.MAX_SAFE_INTEGER }, last);
    this.local = new LocalVectorIndex((model) => this.loadVectors(model));
  }

  private get seq(): number {
    return Number(this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'seq'`).toArray()[0]?.v ?? 0);
  }

  private setMeta(k: string, v: string): void {
    this.sql.exec(`INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, v);
  }

  private vectorIndex(userId: string): VectorIndex {
    return this.env.VECTORIZE ? new VectorizeVectorIndex(this.env.VECTORIZE as never, userId) : this.local;
  }

  // --- push --------------------------------------------------------------------------------------

  /** push, with a record too big to store answered as a refusal (nothing applied) rather than an
   * error: errors lose their type crossing the Durable Object boundary, a returned value doesn't. */
  async pushOrRefuse(userId: string, request: PushRequest, now: number): Promise<PushResponse | PushRefused> {
    try {
      return await this.push(userId, request, now);
    } catch (error) {
      if (error instanceof RecordTooLarge) return { refused: [{ kind: error.kind, key: error.key, bytes: error.bytes, limit: MAX_RECORD_STATE_BYTES }] };
      throw error;
    }
  }

  async push(userId: string, request: PushRequest, now: number): Promise<PushResponse> {
    const prior = this.sql.exec<{ response: string }>('SELECT response FROM pushes WHERE push_id = ?', request.pushId).toArray()[0];
    if (prior) return { ...(JSON.parse(prior.response) as PushResponse), duplicate: true };

    const upserts: ChunkVector[] = [];
    const removed: number[] = [];
    // transactionSync: either every change of the batch and the push id are stored, or none (a throw
    // anywhere rolls the whole batch back), which is what makes a half-sent batch safe to resend.
    const response = this.ctx.storage.transactionSync(() => {
      let seq = this.seq;
      const outcomes = request.changes.map((change, index) => {
        if (this.failAfterChangesForTesting !== null && index >= this.failAfterChangesForTesting) throw new Error('injected failure');
        this.clock.receive(change.hlc);
        const { outcome, changed, docId, vectors } = this.applyOne(change, seq + 1);
        if (changed) seq += 1;
        if (vectors === 'replace' && change.op === 'put' && change.vectors) upserts.push(...this.storeVectors(docId, change.vectors));
        if (vectors === 'drop' || vectors === 'replace') removed.push(docId);
        return outcome;
      });
      this.setMeta('seq', String(seq));
      const serverHlc = this.clock.now();
      this.setMeta('hlc', serverHlc);
      const result: PushResponse = { pushId: request.pushId, duplicate: false, outcomes, cursor: cursorOf(seq), serverHlc };
      this.sql.exec('INSERT INTO pushes (push_id, response, at) VALUES (?, ?, ?)', request.pushId, JSON.stringify(result), now);
      this.sql.exec('DELETE FROM pushes WHERE at < ?', now - PUSH_MEMORY_MS);
      return result;
    });

    if (upserts.length || removed.length) {
      this.local.invalidate();
      if (this.env.VECTORIZE) {
        // Vectorize is eventually consistent anyway; a failed mirror write must not fail a stored push.
        const index = this.vectorIndex(userId);
        try {
          if (removed.length) await index.removeDocs(removed);
          if (upserts.length) await index.upsert(upserts);
        } catch (error) {
          console.log(JSON.stringify({ level: 'warn', msg: 'vectorize mirror failed', error: String(error) }));
        }
      }
    }
    return response;
  }

  private applyOne(change: Change, nextSeq: number): { outcome: PushResponse['outcomes'][number]; changed: boolean; docId: number; vectors: VectorAction } {
    const row = this.sql.exec<{ id: number; state: string }>('SELECT id, state FROM records WHERE kind = ? AND key = ?', change.kind, change.key).toArray()[0];
    const before = row ? (JSON.parse(row.state) as RecordState) : undefined;
    const result = applyChange(before, change);
    if (!result.changed) return { outcome: result.outcome, changed: false, docId: row?.id ?? -1, vectors: 'keep' };
    const state = JSON.stringify(result.state);
    const oversize = oversizeBytes(state);
    if (oversize !== null) throw new RecordTooLarge(change.kind, change.key, oversize);
    let docId: number;
    if (row) {
      docId = row.id;
      this.sql.exec('UPDATE records SET seq = ?, hlc = ?, state = ? WHERE id = ?', nextSeq, result.state.hlc, state, docId);
      this.sql.exec('DELETE FROM fts WHERE rowid = ?', docId);
    } else {
      docId = this.sql
        .exec<{ id: number }>('INSERT INTO records (kind, key, seq, hlc, state) VALUES (?, ?, ?, ?, ?) RETURNING id', change.kind, change.key, nextSeq, result.state.hlc, state)
        .one().id;
    }
    const doc = result.state.data ? searchableDoc(change.kind, result.state.data) : null;
    if (doc) this.sql.exec('INSERT INTO fts (rowid, title, body, kind) VALUES (?, ?, ?, ?)', docId, doc.title, doc.body, change.kind);
    if (result.vectors !== 'keep') this.sql.exec('DELETE FROM vectors WHERE doc_id = ?', docId);
    return { outcome: result.outcome, changed: true, docId, vectors: result.vectors };
  }

  private storeVectors(docId: number, set: VectorSet): ChunkVector[] {
    return set.chunks.map((chunk, i) => {
      const bytes = base64ToBytes(chunk.data);
      const scale = chunk.encoding === 'i8' ? chunk.scale : 1;
      this.sql.exec(
        'INSERT OR REPLACE INTO vectors (doc_id, chunk, model, dims, encoding, scale, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
        docId,
        i,
        set.model,
        set.dims,
        chunk.encoding,
        scale,
        bytes,
      );
      return { docId, chunk: i, model: set.model, values: toUnitFloats(chunk.encoding, scale, bytes, set.dims) };
    });
  }

  private loadVectors(model: string): { dims: number; rows: { docId: number; values: Float32Array }[] } {
    let dims = 0;
    const rows: { docId: number; values: Float32Array }[] = [];
    for (const r of this.sql.exec<{ doc_id: number; dims: number; encoding: string; scale: number; data: ArrayBuffer }>(
      'SELECT doc_id, dims, encoding, scale, data FROM vectors WHERE model = ?',
      model,
    )) {
      if (dims === 0) dims = r.dims;
      if (r.dims !== dims) continue;
      rows.push({ docId: r.doc_id, values: toUnitFloats(r.encoding as 'f32' | 'i8', r.scale, new Uint8Array(r.data), r.dims) });
    }
    return { dims, rows };
  }

  // --- pull --------------------------------------------------------------------------------------

  pull(afterSeq: number, limit: number, withVectors: boolean): PullPage {
    // Rows are read lazily and the page also ends at PULL_PAGE_BYTES, so 1000 full-text pages can't
    // blow the object's memory or the response size (a page always holds at least one record).
    // With vectors, each record's page share counts its chunks as they travel: base64 (4/3 of the
    // stored bytes) plus a little JSON around each chunk.
    const page: { id: number; seq: number; state: string }[] = [];
    let bytes = 0;
    let hasMore = false;
    for (const row of this.sql.exec<{ id: number; seq: number; state: string; vector_bytes: number }>(
      `SELECT r.id, r.seq, r.state,
              CASE WHEN ?1 THEN (SELECT coalesce(sum(length(v.data)) * 4 / 3 + count(*) * 64, 0) FROM vectors AS v WHERE v.doc_id = r.id) ELSE 0 END AS vector_bytes
         FROM records AS r WHERE r.seq > ?2 ORDER BY r.seq LIMIT ?3`,
      withVectors ? 1 : 0,
      afterSeq,
      limit + 1,
    )) {
      const size = row.state.length + row.vector_bytes;
      if (page.length >= limit || (page.length > 0 && bytes + size > PULL_PAGE_BYTES)) {
        hasMore = true;
        break;
      }
      page.push(row);
      bytes += size;
    }
    const records = page.map((row) => this.toServerRecord(row.id, JSON.parse(row.state) as RecordState, withVectors));
    // An empty page keeps the client's cursor, clamped so a cursor from nowhere can't skip future changes.
    const cursor = cursorOf(page.at(-1)?.seq ?? Math.min(afterSeq, this.seq));
    return { records, cursor, hasMore, serverHlc: this.clock.current };
  }

  private toServerRecord(docId: number, state: RecordState, withVectors: boolean): ServerRecord {
    const record: ServerRecord = serverRecordOf(state);
    if (withVectors && state.vectorsHlc) {
      const chunks = this.sql
        .exec<{ model: string; dims: number; encoding: string; scale: number; data: ArrayBuffer }>(
          'SELECT model, dims, encoding, scale, data FROM vectors WHERE doc_id = ? ORDER BY chunk',
          docId,
        )
        .toArray();
      if (chunks.length) {
        record.vectors = {
          model: chunks[0]!.model,
          dims: chunks[0]!.dims,
          chunks: chunks.map((c) =>
            c.encoding === 'i8'
              ? { encoding: 'i8' as const, scale: c.scale, data: bytesToBase64(new Uint8Array(c.data)) }
              : { encoding: 'f32' as const, data: bytesToBase64(new Uint8Array(c.data)) },
          ),
        };
      }
    }
    return record;
  }

  getRecord(kind: RecordKind, key: string): ServerRecord | null {
    const row = this.sql.exec<{ id: number; state: string }>('SELECT id, state FROM records WHERE kind = ? AND key = ?', kind, key).toArray()[0];
    return row ? this.toServerRecord(row.id, JSON.parse(row.state) as RecordState, true) : null;
  }

  stats(): { records: number; live: number; vectors: number; seq: number } {
    const records = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM records').one().n;
    const live = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM records WHERE state NOT LIKE '%"data":null%'`).one().n;
    const vectors = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM vectors').one().n;
    return { records, live, vectors, seq: this.seq };
  }

  // --- search ------------------------------------------------------------------------------------

  async search(userId: string, query: StoreSearch): Promise<{ mode: 'hybrid' | 'keyword' | 'vector'; hits: SearchHit[] }> {
    const depth = Math.max(50, query.limit * 3);
    const kinds = query.kinds ?? null;
    const keyword: number[] = [];
    const snippets = new Map<number, string>();
    const match = ftsQuery(query.q);
    const marks = snippetMarks();
    if (match) {
      const rows = this.sql
        .exec<{ id: number; kind: string; snip: string }>(
          `SELECT rowid AS id, kind, snippet(fts, 1, ?, ?, '…', 16) AS snip
             FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 1.0) LIMIT ?`,
          marks.start,
          marks.end,
          match,
          kinds ? depth * 4 : depth,
        )
        .toArray();
      for (const row of rows) {
        if (kinds && !kinds.includes(row.kind as RecordKind)) continue;
        if (keyword.length >= depth) break;
        keyword.push(row.id);
        snippets.set(row.id, row.snip);
      }
    }
    let vector: number[] = [];
    if (query.vector && query.model) {
      const hits = await this.vectorIndex(userId).query(query.model, Float32Array.from(query.vector), kinds ? depth * 4 : depth);
      vector = hits.map((h) => h.docId);
    }
    const mode = match && query.vector ? 'hybrid' : match ? 'keyword' : 'vector';
    const fused = reciprocalRankFusion([keyword, vector]);
    const hits: SearchHit[] = [];
    for (const entry of fused) {
      if (hits.length >= query.limit) break;
      const row = this.sql.exec<{ state: string }>('SELECT state FROM records WHERE id = ?', entry.id).toArray()[0];
      if (!row) continue;
      const state = JSON.parse(row.state) as RecordState;
      if (!state.data || (kinds && !kinds.includes(state.kind))) continue;
      const doc = searchableDoc(state.kind, state.data);
      if (!doc) continue;
      const marked = snippets.get(entry.id);
      hits.push({
        kind: state.kind,
        key: state.key,
        title: doc.title,
        url: doc.url,
        snippet: marked ? snippetParts(marked, marks) : [{ text: doc.body.slice(0, 240), match: false }],
        score: entry.score,
        keywordRank: entry.ranks[0] ?? null,
        vectorRank: entry.ranks[1] ?? null,
      });
    }
    return { mode, hits };
  }

  /** Best records for a question, as prompt sources (ask-with-sources over the user's synced memory). */
  async sourcesFor(userId: string, question: string, limit: number): Promise<{ kind: RecordKind; key: string; title: string; url: string; text: string }[]> {
    const { hits } = await this.search(userId, { q: question, limit });
    return hits.map((hit) => {
      const row = this.sql.exec<{ state: string }>('SELECT state FROM records WHERE kind = ? AND key = ?', hit.kind, hit.key).one();
      const data = (JSON.parse(row.state) as RecordState).data ?? {};
      return { kind: hit.kind, key: hit.key, title: hit.title, url: hit.url, text: searchableDoc(hit.kind, data)?.body ?? '' };
    });
  }

  // --- account level ------------------------------------------------------------------------------

  /** What this account stores, in bytes: record states and vectors (the plans' synced-storage gauge). */
  storageBytes(): number {
    const records = this.sql.exec<{ n: number }>('SELECT COALESCE(SUM(LENGTH(state)), 0) AS n FROM records').one().n;
    const vectors = this.sql.exec<{ n: number }>('SELECT COALESCE(SUM(LENGTH(data)), 0) AS n FROM vectors').one().n;
    return records + vectors;
  }

  /** Deleting the account: every record, vector and push memory of this user, and their Vectorize
   * namespace's vectors. The object's storage is emptied whole, so nothing is left to reconstruct. */
  async deleteEverything(userId: string): Promise<void> {
    if (this.env.VECTORIZE) {
      const docIds = this.sql.exec<{ id: number }>('SELECT id FROM records').toArray().map((r) => r.id);
      if (docIds.length) await this.vectorIndex(userId).removeDocs(docIds);
    }
    await this.ctx.storage.deleteAll();
    for (const statement of SCHEMA) this.sql.exec(statement);
    this.local.invalidate();
  }
}
