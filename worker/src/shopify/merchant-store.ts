import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { CatalogProduct, PolicyPage } from './catalog';
import { catalogFloor, dequantise, fuseIds, MAX_VECTORS, passageEmbedText, productEmbedText, quantise, VectorMatrix, type VectorRow } from './catalog-search';

/**
 * One SQLite-backed Durable Object per registered store: its catalogue, its policy passages (both in
 * an FTS5 keyword index) and the conversations its widget had. Isolation between stores is physical:
 * a chat for store A runs in A's object and cannot read B's rows.
 */

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS products (id TEXT PRIMARY KEY, data TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS passages (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5(product_id UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5(passage_id UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
  `CREATE TABLE IF NOT EXISTS turns (
     id TEXT PRIMARY KEY, visitor TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
     answered INTEGER NOT NULL, rating TEXT, at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS turns_at ON turns(at)`,
  `CREATE INDEX IF NOT EXISTS turns_visitor ON turns(visitor, at)`,
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  // Search by meaning: which text each product/passage embeds as (key = a hash of that text, so a
  // re-sync embeds only what changed), and the int8 vectors per key and model.
  `CREATE TABLE IF NOT EXISTS embed_keys (kind TEXT NOT NULL, ref TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, ref))`,
  `CREATE TABLE IF NOT EXISTS vectors (key TEXT NOT NULL, model TEXT NOT NULL, scale REAL NOT NULL, data BLOB NOT NULL, PRIMARY KEY (key, model))`,
];

export interface PassageHit {
  url: string;
  title: string;
  body: string;
}

export interface Turn {
  id: string;
  visitor: string;
  question: string;
  answer: string;
  answered: boolean;
  rating: 'up' | 'down' | null;
  at: number;
}

/**
 * The words of a shopper's question that carry no subject ("do you have a …", "can I …"). Searched as
 * OR-terms they matched any passage written to the shopper ("You may return …"), so a question about
 * something the store does not have was answered with an unrelated policy instead of handed off.
 */
const QUESTION_WORDS = new Set(
  'a an the do does did you your yours we our us i me my is are was be can could would will should have has had any some there this that these those it its of for to in on at by with and or what which who how when where why sell sold buy get got please want need looking'.split(' '),
);

/** Words of a question as an FTS5 OR-query of quoted terms (no operators from the visitor pass through). */
export function ftsQuery(text: string): string | null {
  const words = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []).filter((w) => !QUESTION_WORDS.has(w)).slice(0, 24))];
  return words.length ? words.map((w) => `"${w}"`).join(' OR ') : null;
}

/** Policy text in passages of a few sentences, so a citation points at the part that answers. */
function passagesOf(policy: PolicyPage): string[] {
  const paragraphs = policy.body.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    if (current && current.length + p.length > 600) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${p}` : p;
  }
  if (current) out.push(current);
  return out;
}

async function textKey(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SearchResult {
  products: CatalogProduct[];
  passages: (PassageHit & { score: number })[];
  /** 'keyword+vector' only when a query vector of the model the store's vectors hold was given. */
  mode: 'keyword' | 'keyword+vector';
}

export interface VectorState {
  model: string | null;
  vectors: number;
  /** Products and passages still without a vector for that model. */
  pending: number;
  floor: number | null;
}

export class MerchantStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** One model's vectors in memory, dropped on every write. */
  private matrix: { model: string; m: VectorMatrix } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  /** Replaces the catalogue and policies in one transaction (a failed sync leaves the old ones). */
  async replaceCatalog(products: CatalogProduct[], policies: PolicyPage[], syncedAt: number): Promise<{ products: number; passages: number }> {
    // Hashed before the transaction (digests are async); vectors of texts that are gone are dropped
    // in it, those of unchanged texts are kept, so a re-sync embeds only what changed.
    const productKeys = await Promise.all(products.map((p) => textKey(productEmbedText(p))));
    const passageRows = policies.flatMap((policy) => passagesOf(policy).map((body) => ({ policy, body })));
    const passageKeys = await Promise.all(passageRows.map((r) => textKey(passageEmbedText(r.policy.title, r.body))));
    this.ctx.storage.transactionSync(() => {
      for (const table of ['products', 'passages', 'product_fts', 'passage_fts', 'embed_keys']) this.sql.exec(`DELETE FROM ${table}`);
      products.forEach((p, i) => {
        this.sql.exec('INSERT OR REPLACE INTO products (id, data) VALUES (?, ?)', p.id, JSON.stringify(p));
        this.sql.exec('INSERT INTO product_fts (product_id, title, body) VALUES (?, ?, ?)', p.id, p.title, [p.vendor, p.productType, p.tags.join(' '), p.description].join('\n'));
        this.sql.exec('INSERT OR REPLACE INTO embed_keys (kind, ref, key) VALUES (?, ?, ?)', 'product', p.id, productKeys[i]!);
      });
      passageRows.forEach(({ policy, body }, i) => {
        const id = this.sql.exec<{ id: number }>('INSERT INTO passages (url, title, body) VALUES (?, ?, ?) RETURNING id', policy.url, policy.title, body).one().id;
        this.sql.exec('INSERT INTO passage_fts (passage_id, title, body) VALUES (?, ?, ?)', id, policy.title, body);
        this.sql.exec('INSERT INTO embed_keys (kind, ref, key) VALUES (?, ?, ?)', 'passage', String(id), passageKeys[i]!);
      });
      this.sql.exec('DELETE FROM vectors WHERE key NOT IN (SELECT key FROM embed_keys)');
      this.sql.exec(`DELETE FROM meta WHERE k LIKE 'floor:%'`);
      this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('syncedAt', ?)`, String(syncedAt));
    });
    this.matrix = null;
    return { products: products.length, passages: passageRows.length };
  }

  /** Texts that still need a vector for `model` (at most `limit`); vectors of any other model are dropped. */
  vectorWork(model: string, limit = 256): { key: string; text: string }[] {
    const dropped = this.sql.exec('DELETE FROM vectors WHERE model != ?', model).rowsWritten;
    if (dropped) this.matrix = null;
    const rows = this.sql
      .exec<{ kind: string; ref: string; key: string }>(
        `SELECT k.kind AS kind, k.ref AS ref, k.key AS key FROM embed_keys k
         WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.key = k.key AND v.model = ?)
         GROUP BY k.key LIMIT ?`,
        model,
        Math.min(limit, MAX_VECTORS),
      )
      .toArray();
    const out: { key: string; text: string }[] = [];
    for (const row of rows) {
      if (row.kind === 'product') {
        const data = this.sql.exec<{ data: string }>('SELECT data FROM products WHERE id = ?', row.ref).toArray()[0];
        if (data) out.push({ key: row.key, text: productEmbedText(JSON.parse(data.data) as CatalogProduct) });
      } else {
        const p = this.sql.exec<{ title: string; body: string }>('SELECT title, body FROM passages WHERE id = ?', Number(row.ref)).toArray()[0];
        if (p) out.push({ key: row.key, text: passageEmbedText(p.title, p.body) });
      }
    }
    return out;
  }

  /** Stores vectors (int8) for keys the catalogue still holds, up to MAX_VECTORS per store. */
  putVectors(model: string, items: { key: string; values: Float32Array | number[] }[]): number {
    let stored = 0;
    this.ctx.storage.transactionSync(() => {
      let count = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM vectors WHERE model = ?', model).one().n;
      for (const { key, values } of items) {
        if (count >= MAX_VECTORS) break;
        if (!values.length || !this.sql.exec('SELECT 1 FROM embed_keys WHERE key = ? LIMIT 1', key).toArray().length) continue;
        const { scale, bytes } = quantise(values);
        this.sql.exec('INSERT OR REPLACE INTO vectors (key, model, scale, data) VALUES (?, ?, ?, ?)', key, model, scale, bytes);
        count++;
        stored++;
      }
    });
    this.matrix = null;
    return stored;
  }

  private loadMatrix(model: string): VectorMatrix {
    if (this.matrix?.model === model) return this.matrix.m;
    const rows: VectorRow[] = [];
    const vectors: Float32Array[] = [];
    for (const r of this.sql.exec<{ kind: string; ref: string; scale: number; data: ArrayBuffer }>(
      'SELECT k.kind AS kind, k.ref AS ref, v.scale AS scale, v.data AS data FROM embed_keys k JOIN vectors v ON v.key = k.key AND v.model = ?',
      model,
    )) {
      rows.push({ kind: r.kind === 'passage' ? 'passage' : 'product', ref: r.ref });
      vectors.push(dequantise(r.scale, new Uint8Array(r.data)));
    }
    const m = new VectorMatrix(rows, vectors);
    this.matrix = { model, m };
    return m;
  }

  /** Calibrates this store's floor for `model` from the made-up probes' vectors (see catalog-search.ts). */
  calibrate(model: string, probeVectors: (Float32Array | number[])[]): number | null {
    const m = this.loadMatrix(model);
    if (!m.size) return null;
    // One floor per list: products and policy passages are texts of different length and kind, so
    // each list's meaning-only hits clear the noise of that list.
    const floor = catalogFloor(m, probeVectors);
    this.sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', `floor:${model}`, String(floor));
    for (const kind of ['product', 'passage'] as const) {
      const own = m.only(kind);
      if (own.size) this.sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', `floor:${model}:${kind}`, String(catalogFloor(own, probeVectors)));
    }
    return floor;
  }

  vectorState(model: string | null): VectorState {
    if (!model) return { model: null, vectors: 0, pending: 0, floor: null };
    const vectors = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM vectors WHERE model = ?', model).one().n;
    const pending = this.sql
      .exec<{ n: number }>('SELECT count(DISTINCT key) AS n FROM embed_keys k WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.key = k.key AND v.model = ?)', model)
      .one().n;
    const floor = this.sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', `floor:${model}`).toArray()[0];
    return { model, vectors, pending, floor: floor ? Number(floor.v) : null };
  }

  /**
   * Keyword (FTS5 bm25) and, given the question's vector, meaning (cosine over this store's own vectors
   * only, above its calibrated floor), fused by reciprocal rank. Without a calibrated floor for the
   * model, the vector list is not used: an uncalibrated cut-off could not hand off reliably.
   */
  search(question: string, query?: { model: string; vector: Float32Array | number[] }, productLimit = 4, passageLimit = 3): SearchResult {
    const keywordProducts = this.keywordProducts(question, 12);
    const keywordPassages = this.searchPolicies(question, 12);
    const floorRow = query ? this.sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', `floor:${query.model}`).toArray()[0] : undefined;
    if (!query || !floorRow) {
      return { products: keywordProducts.slice(0, productLimit).map((r) => r.product), passages: keywordPassages.slice(0, passageLimit), mode: 'keyword' };
    }
    const floorOf = (kind: string) => Number(this.sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', `floor:${query.model}:${kind}`).toArray()[0]?.v ?? floorRow.v);
    const m = this.loadMatrix(query.model);
    const productIds = fuseIds(keywordProducts.map((r) => r.product.id), m.scores(query.vector, 'product').slice(0, 12), floorOf('product'), productLimit);
    const passageIds = fuseIds(keywordPassages.map((p) => String(p.id)), m.scores(query.vector, 'passage').slice(0, 12), floorOf('passage'), passageLimit);
    const products = productIds.flatMap((id) => {
      const row = this.sql.exec<{ data: string }>('SELECT data FROM products WHERE id = ?', id).toArray()[0];
      return row ? [JSON.parse(row.data) as CatalogProduct] : [];
    });
    const passages = passageIds.flatMap((id) => this.sql.exec<{ url: string; title: string; body: string; id: number }>('SELECT id, url, title, body FROM passages WHERE id = ?', Number(id)).toArray().map((p) => ({ ...p, score: 0 })));
    return { products, passages, mode: 'keyword+vector' };
  }

  private keywordProducts(question: string, limit: number): { product: CatalogProduct }[] {
    const q = ftsQuery(question);
    if (!q) return [];
    return this.sql
      .exec<{ data: string }>(
        `SELECT p.data AS data FROM product_fts JOIN products p ON p.id = product_fts.product_id
         WHERE product_fts MATCH ? ORDER BY bm25(product_fts, 0, 3, 1) LIMIT ?`,
        q,
        limit,
      )
      .toArray()
      .map((r) => ({ product: JSON.parse(r.data) as CatalogProduct }));
  }

  searchPolicies(question: string, limit = 3): (PassageHit & { score: number; id: number })[] {
    const q = ftsQuery(question);
    if (!q) return [];
    return this.sql
      .exec<{ id: number; url: string; title: string; body: string; score: number }>(
        `SELECT p.id AS id, p.url AS url, p.title AS title, p.body AS body, bm25(passage_fts, 0, 2, 1) AS score
         FROM passage_fts JOIN passages p ON p.id = passage_fts.passage_id
         WHERE passage_fts MATCH ? ORDER BY score LIMIT ?`,
        q,
        limit,
      )
      .toArray();
  }

  counts(): { products: number; passages: number; syncedAt: number | null } {
    const products = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM products').one().n;
    const passages = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM passages').one().n;
    const synced = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'syncedAt'`).toArray()[0];
    return { products, passages, syncedAt: synced ? Number(synced.v) : null };
  }

  logTurn(turn: Turn): void {
    this.sql.exec(
      'INSERT INTO turns (id, visitor, question, answer, answered, rating, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      turn.id,
      turn.visitor,
      turn.question,
      turn.answer,
      turn.answered ? 1 : 0,
      turn.rating,
      turn.at,
    );
  }

  /** When this visitor last spoke to the widget (null: never): a gap decides a new conversation. */
  lastTurnAt(visitor: string): number | null {
    const row = this.sql.exec<{ at: number | null }>('SELECT max(at) AS at FROM turns WHERE visitor = ?', visitor).one();
    return row.at ?? null;
  }

  rateTurn(id: string, rating: 'up' | 'down'): boolean {
    return this.sql.exec('UPDATE turns SET rating = ? WHERE id = ?', rating, id).rowsWritten > 0;
  }

  listTurns(limit = 200): Turn[] {
    return this.sql
      .exec<{ id: string; visitor: string; question: string; answer: string; answered: number; rating: string | null; at: number }>('SELECT * FROM turns ORDER BY at DESC LIMIT ?', limit)
      .toArray()
      .map((r) => ({ ...r, answered: r.answered === 1, rating: r.rating === 'up' || r.rating === 'down' ? r.rating : null }));
  }
}
