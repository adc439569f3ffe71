import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { CatalogProduct, PolicyPage } from './catalog';

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

/** Words of a question as an FTS5 OR-query of quoted terms (no operators from the visitor pass through). */
export function ftsQuery(text: string): string | null {
  const words = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []).slice(0, 24))];
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

export class MerchantStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  /** Replaces the catalogue and policies in one transaction (a failed sync leaves the old ones). */
  replaceCatalog(products: CatalogProduct[], policies: PolicyPage[], syncedAt: number): { products: number; passages: number } {
    let passageCount = 0;
    this.ctx.storage.transactionSync(() => {
      for (const table of ['products', 'passages', 'product_fts', 'passage_fts']) this.sql.exec(`DELETE FROM ${table}`);
      for (const p of products) {
        this.sql.exec('INSERT OR REPLACE INTO products (id, data) VALUES (?, ?)', p.id, JSON.stringify(p));
        this.sql.exec('INSERT INTO product_fts (product_id, title, body) VALUES (?, ?, ?)', p.id, p.title, [p.vendor, p.productType, p.tags.join(' '), p.description].join('\n'));
      }
      for (const policy of policies) {
        for (const body of passagesOf(policy)) {
          const id = this.sql.exec<{ id: number }>('INSERT INTO passages (url, title, body) VALUES (?, ?, ?) RETURNING id', policy.url, policy.title, body).one().id;
          this.sql.exec('INSERT INTO passage_fts (passage_id, title, body) VALUES (?, ?, ?)', id, policy.title, body);
          passageCount++;
        }
      }
      this.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('syncedAt', ?)`, String(syncedAt));
    });
    return { products: products.length, passages: passageCount };
  }

  searchProducts(question: string, limit = 4): CatalogProduct[] {
    const q = ftsQuery(question);
    if (!q) return [];
    const rows = this.sql
      .exec<{ data: string }>(
        `SELECT p.data AS data FROM product_fts JOIN products p ON p.id = product_fts.product_id
         WHERE product_fts MATCH ? ORDER BY bm25(product_fts, 0, 3, 1) LIMIT ?`,
        q,
        limit,
      )
      .toArray();
    return rows.map((r) => JSON.parse(r.data) as CatalogProduct);
  }

  searchPolicies(question: string, limit = 3): (PassageHit & { score: number })[] {
    const q = ftsQuery(question);
    if (!q) return [];
    return this.sql
      .exec<{ url: string; title: string; body: string; score: number }>(
        `SELECT p.url AS url, p.title AS title, p.body AS body, bm25(passage_fts, 0, 2, 1) AS score
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
