import { COMPACTED_THROUGH_KEY } from '@/db/compaction';
import type { Highlight, Page, Search } from '@shared/schemas/records';
import { getDb, type CalicoDb, type ChangeRow } from '@/db/database';
import { changesSince } from '@/db/change-log';
import {
  INDEXED_TEXT_CAP,
  docId,
  highlightDocument,
  pageDocument,
  searchDocument,
  type KeywordDocument,
  type ResultKind,
  type StoredFields,
} from './keyword-document';
import { buildSnippet, markTerms, type SnippetPart } from './snippet';
import { resultFilter } from './result-filter';
import { Bm25Index, INSTANT_LIMIT, RANKING_INDEX_OPTIONS, type Bm25Snapshot } from './bm25-index';
import { KEYWORD_FEEDBACK, keywordList, type KeywordList } from './hybrid';

/**
 * Keyword search over highlights, pages and searches, in one index: the ranking index (BM25F,
 * bm25-index.ts) serves both the instant, type-ahead list (`search`: the last word matched by prefix or,
 * failing that, with a typo — on the term dictionary, never on documents) and the hybrid ranking
 * (`rank`), the one the bench measures. Beside it, each document's stored fields (what a result row
 * shows and the filters read) in a plain map: no second copy of the postings. The index
 * follows the change log under its own cursor, and a snapshot of it (with the log position it reflects)
 * is kept in the `state` table, so opening the side panel loads the snapshot and replays only what
 * changed since.
 *
 * The snapshot and the `keyword-index` cursor are written in one transaction, and the cursor only
 * ever names a position the snapshot already holds: compaction can't drop a change a future load still
 * needs. With no usable snapshot the index is rebuilt from the tables themselves (not from the log,
 * whose head may already have been compacted away).
 */

export const CURSOR_NAME = 'keyword-index';
export const SNAPSHOT_KEY = 'keyword-index.snapshot';
/** Bump when the document shape or ranking-index fields change: old snapshots are then rebuilt.
 * 2: the snapshot carries the ranking index. 3: stored fields instead of MiniSearch's JSON (the instant
 * list is served by the ranking index). 4: the ranking index as compressed binary arrays (Bm25Snapshot v2).
 * 5: Bm25Snapshot v3 (ids' ends in bytes, so a load wraps the ids instead of decoding each). */
export const INDEX_VERSION = 5;

export interface KeywordFilters {
  kind?: ResultKind | 'all';
  /** Only these kinds (with `kind`, both apply): ask your memory cites pages and highlights only. */
  kinds?: readonly ResultKind[];
  /** Host, or part of one ("github" matches "github.com" and "gist.github.com"). */
  site?: string;
  /** Inclusive bounds in ms since epoch. */
  from?: number;
  to?: number;
  limit?: number;
}

export interface KeywordResult extends StoredFields {
  /** `kind:key`, the same id the vector side uses, so fusion can join on it. */
  id: string;
  score: number;
  /** 1-based position in this result list (for reciprocal rank fusion). */
  rank: number;
  /** Index terms that matched (what snippets mark). */
  terms: string[];
  /** `terms` are the ranking index's stems (results of `rank`), so snippets mark every word form. */
  stemmed?: boolean;
  /** Found by meaning only (the vector side of the hybrid list): no word of the query is in it. */
  byMeaning?: boolean;
}

/** One query's ranking-index answer: the list hybrid fusion takes, and the same hits as results. */
export interface KeywordRanking {
  list: KeywordList;
  results: KeywordResult[];
}

interface Snapshot {
  version: number;
  seq: number;
  /** Every live document's stored fields (what results show and filters read). */
  stored: StoredDocument[];
  /** The ranking index as is (typed arrays): IndexedDB stores it by structured clone, not JSON. */
  bm25: Bm25Snapshot;
  savedAt: number;
}

/** What the ranking index reads of a document: highlights are found by their quote and note under the
 * page's title, searches by their query. */
export function rankingFields(doc: KeywordDocument): { title: string; text: string } {
  if (doc.kind === 'highlight') return { title: doc.title, text: doc.note ? `${doc.text}\n${doc.note}` : doc.text };
  return { title: doc.title, text: doc.text };
}

type StoredDocument = StoredFields & { id: string };

/** The filters as a test of a document id (undefined when nothing is filtered). */
function acceptOf(filters: KeywordFilters, stored: ReadonlyMap<string, StoredDocument>): ((id: string) => boolean) | undefined {
  const pass = resultFilter(filters);
  return (
    pass &&
    ((id) => {
      const d = stored.get(id);
      return d !== undefined && pass({ kind: d.kind, site: d.site, date: d.date });
    })
  );
}

export interface KeywordIndexOptions {
  /** Save a snapshot after this many applied changes... */
  saveEvery?: number;
  /** ...or this long after the last unsaved change. */
  saveDelayMs?: number;
}

export class KeywordIndex {
  private unsaved = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pageTextCache = new Map<string, string>();
  /** Every document's stored fields, newest first: the empty-query list. Built on first use (one
   * wildcard pass) and then kept in step with each change, so listing recent items at 100k documents
   * doesn't rescan the index on every keystroke or capture. */
  private byDate: (StoredFields & { id: string })[] | undefined;

  private constructor(
    private readonly db: CalicoDb,
    private stored: Map<string, StoredDocument>,
    private bm25: Bm25Index,
    private seq: number,
    private readonly options: Required<KeywordIndexOptions>,
  ) {}

  /** Loads the snapshot (or rebuilds), then catches up with the change log. */
  static async open(db: CalicoDb = getDb(), options: KeywordIndexOptions = {}): Promise<KeywordIndex> {
    const opts = { saveEvery: options.saveEvery ?? 500, saveDelayMs: options.saveDelayMs ?? 15_000 };
    const snapshot = (await db.state.get(SNAPSHOT_KEY))?.value as Snapshot | undefined;
    const cursor = await db.cursors.get(CURSOR_NAME);
    let index: KeywordIndex | undefined;
    // Without our cursor row, or with a snapshot older than what compaction deleted, changes after the
    // snapshot may be gone: rebuild.
    const compacted = Number((await db.state.get(COMPACTED_THROUGH_KEY))?.value ?? 0);
    if (snapshot?.version === INDEX_VERSION && cursor && cursor.seq >= snapshot.seq && snapshot.seq >= compacted) {
      try {
        // A missing, mismatched or corrupt ranking index throws here too: both are rebuilt together.
        const bm25 = Bm25Index.fromSnapshot(snapshot.bm25, RANKING_INDEX_OPTIONS);
        const stored = new Map(snapshot.stored.map((d) => [d.id, d]));
        if (stored.size !== bm25.size || snapshot.stored.some((d) => !bm25.has(d.id))) throw new Error('ranking index and stored fields disagree');
        index = new KeywordIndex(db, stored, bm25, snapshot.seq, opts);
      } catch (error) {
        console.warn('keyword index snapshot unreadable; rebuilding', error);
      }
    }
    if (!index) {
      index = new KeywordIndex(db, new Map(), new Bm25Index(RANKING_INDEX_OPTIONS), 0, opts);
      await index.rebuild();
    }
    await index.catchUp();
    return index;
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.bm25.size;
  }

  /** Change-log position the index reflects. */
  get position(): number {
    return this.seq;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rebuild(): Promise<void> {
    // Read the log head first: rows written meanwhile are both read here and replayed, which is harmless.
    const head = ((await this.db.changes.orderBy('seq').lastKey()) as number | undefined) ?? 0;
    const stored = new Map<string, StoredDocument>();
    const bm25 = new Bm25Index(RANKING_INDEX_OPTIONS);
    const batch: KeywordDocument[] = [];
    const flush = () => {
      for (const doc of batch) {
        stored.set(doc.id, storedOf(doc));
        bm25.add(doc.id, rankingFields(doc));
      }
      batch.length = 0;
    };
    await this.db.highlights.each((h) => void batch.push(highlightDocument(h)));
    flush();
    await this.db.searches.each((s) => void batch.push(searchDocument(s)));
    flush();
    await this.db.pages.each((p) => {
      batch.push(pageDocument(p));
      if (batch.length >= 500) flush();
    });
    flush();
    bm25.pack();
    this.stored = stored;
    this.bm25 = bm25;
    this.byDate = undefined;
    this.seq = head;
    // Register the cursor now (cheap) so compaction keeps every change from here on; the snapshot
    // itself (a big serialisation) waits for the usual save timer instead of delaying the first results.
    // A cursor without a snapshot is safe: opening without a snapshot always rebuilds. A stale snapshot
    // goes, so it can't be paired with this cursor later.
    await this.db.transaction('rw', this.db.cursors, this.db.state, async () => {
      await this.db.state.delete(SNAPSHOT_KEY);
      await this.db.cursors.put({ name: CURSOR_NAME, seq: head });
    });
    this.unsaved = Math.max(this.unsaved, 1);
    this.scheduleSave();
  }

  /** Applies every change logged since the index's position. Returns how many were applied. */
  catchUp(): Promise<number> {
    return this.serial(async () => {
      let applied = 0;
      // Compaction let this index go (it lagged too far) and deleted changes it hasn't applied.
      const compacted = Number((await this.db.state.get(COMPACTED_THROUGH_KEY))?.value ?? 0);
      if (this.seq < compacted) {
        await this.rebuild();
        applied++;
      }
      for (;;) {
        const changes = await changesSince(this.seq, 1000, this.db);
        if (changes.length === 0) break;
        await this.apply(changes);
        this.seq = changes[changes.length - 1]!.seq!;
        applied += changes.length;
      }
      if (applied > 0) {
        this.unsaved += applied;
        if (this.unsaved >= this.options.saveEvery) await this.saveNow();
        else this.scheduleSave();
      }
      return applied;
    });
  }

  private async apply(changes: readonly ChangeRow[]): Promise<void> {
    // Only the latest state of each row matters: re-read the rows instead of trusting op order.
    const keys = { highlights: new Set<string>(), pages: new Set<string>(), searches: new Set<string>() };
    for (const c of changes) {
      if (c.table === 'highlights' || c.table === 'pages' || c.table === 'searches') keys[c.table].add(c.key);
    }
    const [highlights, pages, searches] = await Promise.all([
      this.db.highlights.bulkGet([...keys.highlights]),
      this.db.pages.bulkGet([...keys.pages]),
      this.db.searches.bulkGet([...keys.searches]),
    ]);
    const sync = <T>(kind: ResultKind, ids: Set<string>, rows: (T | undefined)[], toDoc: (row: T) => KeywordDocument) => {
      [...ids].forEach((key, i) => {
        const id = docId(kind, key);
        const row = rows[i];
        if (row) {
          const doc = toDoc(row);
          this.stored.set(id, storedOf(doc));
          this.bm25.add(id, rankingFields(doc));
        } else {
          this.stored.delete(id);
          this.bm25.remove(id);
        }
      });
    };
    sync<Highlight>('highlight', keys.highlights, highlights, highlightDocument);
    sync<Page>('page', keys.pages, pages, pageDocument);
    sync<Search>('search', keys.searches, searches, searchDocument);
    if (this.byDate) {
      const touched = new Set([
        ...[...keys.highlights].map((k) => docId('highlight', k)),
        ...[...keys.pages].map((k) => docId('page', k)),
        ...[...keys.searches].map((k) => docId('search', k)),
      ]);
      const kept = this.byDate.filter((d) => !touched.has(d.id));
      for (const id of touched) {
        const fields = this.stored.get(id);
        if (fields) insertByDate(kept, fields);
      }
      this.byDate = kept;
    }
    for (const url of keys.pages) this.pageTextCache.delete(url);
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save().catch((error) => console.warn('keyword index snapshot failed', error));
    }, this.options.saveDelayMs);
  }

  /** Writes a snapshot if anything changed since the last one. */
  save(): Promise<void> {
    return this.serial(() => this.saveNow());
  }

  private async saveNow(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (this.unsaved === 0) return;
    const snapshot: Snapshot = { version: INDEX_VERSION, seq: this.seq, stored: [...this.stored.values()], bm25: this.bm25.toSnapshot(), savedAt: Date.now() };
    await this.db.transaction('rw', this.db.state, this.db.cursors, async () => {
      const current = (await this.db.state.get(SNAPSHOT_KEY))?.value as Snapshot | undefined;
      // Another surface (a second window's side panel) may already have saved a newer one.
      if (current?.version === INDEX_VERSION && current.seq > snapshot.seq) return;
      await this.db.state.put({ key: SNAPSHOT_KEY, value: snapshot });
      await this.db.cursors.put({ name: CURSOR_NAME, seq: snapshot.seq });
    });
    this.unsaved = 0;
  }

  /** Flushes a pending snapshot and stops the timer (page unload). */
  async close(): Promise<void> {
    await this.save();
  }

  /**
   * The instant list, on every keystroke: an empty query lists everything that passes the filters,
   * newest first (the side panel's "recent items"); otherwise the ranking index's typeahead — words
   * before the last as typed (stemmed), the last one by prefix or, when it begins no word, with a typo.
   */
  search(query: string, filters: KeywordFilters = {}): KeywordResult[] {
    const q = query.trim();
    if (!q) return this.recent(filters);
    const found = this.bm25.typeahead(q, filters.limit ?? INSTANT_LIMIT, acceptOf(filters, this.stored));
    const results: KeywordResult[] = [];
    for (const hit of found.hits) {
      const fields = this.stored.get(hit.id);
      if (fields) results.push({ ...fields, score: hit.score, rank: results.length + 1, terms: found.terms, stemmed: true });
    }
    return results;
  }

  /**
   * The ranking-index list of a query (any term, BM25F, stemmed; no prefix or fuzzy expansion): what
   * hybrid ranking fuses with the vector list. Filters apply through the stored fields.
   * `results` are the same hits, shaped for the side panel, their `terms` the query's stems.
   */
  rank(query: string, filters: KeywordFilters = {}, limit = 100): KeywordRanking {
    const found = this.bm25.searchWithFeedback(query, limit, KEYWORD_FEEDBACK, acceptOf(filters, this.stored));
    const results: KeywordResult[] = [];
    for (const hit of found.hits) {
      const fields = this.stored.get(hit.id);
      if (!fields) continue; // both follow the same changes, so this is only a safety net
      results.push({ ...fields, score: hit.score, rank: results.length + 1, terms: found.terms, stemmed: true });
    }
    return { list: keywordList(found), results };
  }

  private recent(filters: KeywordFilters): KeywordResult[] {
    this.byDate ??= [...this.stored.values()].sort(newestFirst);
    const pass = resultFilter(filters) ?? (() => true);
    const limit = filters.limit ?? Infinity;
    const out: KeywordResult[] = [];
    for (const d of this.byDate) {
      if (out.length >= limit) break;
      if (!pass(d as never)) continue;
      out.push({ ...d, score: 0, rank: out.length + 1, terms: [] });
    }
    return out;
  }

  /** The title split into matched/unmatched parts. */
  titleParts(result: Pick<KeywordResult, 'title' | 'terms' | 'stemmed'>): SnippetPart[] {
    return markTerms(result.title, result.terms, { stemmed: result.stemmed });
  }

  /** The best window of the result's text around its matched terms. Pages read their text from the
   * database (cached), so only rows actually shown pay for it. */
  async snippet(result: Pick<KeywordResult, 'kind' | 'key' | 'terms' | 'stemmed' | 'snippetSource' | 'note'>, maxLength = 180): Promise<SnippetPart[]> {
    const mark = { stemmed: result.stemmed };
    let source = result.snippetSource ?? '';
    if (result.kind === 'page') {
      let text = this.pageTextCache.get(result.key);
      if (text === undefined) {
        const page = await this.db.pages.get(result.key);
        text = (page?.text ?? '').slice(0, INDEXED_TEXT_CAP);
        if (this.pageTextCache.size > 200) this.pageTextCache.clear();
        this.pageTextCache.set(result.key, text);
      }
      source = text;
    }
    const parts = buildSnippet(source, result.terms, maxLength, mark);
    // A highlight found by its note: show the quote, and the matching note words after it.
    if (result.kind === 'highlight' && result.note && !parts.some((p) => p.match)) {
      const noteParts = buildSnippet(result.note, result.terms, 100, mark);
      if (noteParts.some((p) => p.match)) return [...buildSnippet(source, [], maxLength - 100), { text: ' — ', match: false }, ...noteParts];
    }
    return parts;
  }
}

/** A document without its indexed text (pages load theirs on demand for snippets). Fields a document
 * lacks stay absent, so the stored copy is no bigger than what it holds. */
function storedOf(doc: KeywordDocument): StoredDocument {
  const { text: _text, ...stored } = doc;
  for (const k of Object.keys(stored) as (keyof typeof stored)[]) if (stored[k] === undefined) delete stored[k];
  return stored;
}

/** Newest first; ties by id, so an edited item keeps its place instead of jumping under the cursor. */
function newestFirst(a: { date: number; id: string }, b: { date: number; id: string }): number {
  return b.date - a.date || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function insertByDate<T extends { date: number; id: string }>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newestFirst(list[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

let shared: Promise<KeywordIndex> | undefined;

/** The index of this extension page, opened once. */
export function getKeywordIndex(): Promise<KeywordIndex> {
  shared ??= KeywordIndex.open().catch((error) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
