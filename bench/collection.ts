/**
 * Reads IR test collections from disk formats into one shape. Node-only (bench code).
 *
 * SMART (Cranfield, CISI, MED, …): records open with `.I n`; fields `.T` title, `.A` authors, `.B`
 * source, `.W` text (other fields ignored). Queries are numbered by their position in the query file
 * (Cranfield's `.I` numbers have gaps; its judgements use positions). Judgements: `qid docid rel`
 * (rel ≤ 0, e.g. Cranfield's -1 artefact rows, is not relevant), `qid docid` (relevant), or four
 * columns read as TREC.
 *
 * TREC: documents `<DOC><DOCNO>id</DOCNO>…</DOC>` (title from <TITLE>/<HEADLINE>/<HEAD> when present,
 * text = all other element text), topics `<top><num> Number: id <title> text …</top>` (the title is the
 * query), judgements `qid iter docid rel`.
 */
import { readFileSync } from 'node:fs';

export interface Doc {
  id: string;
  title: string;
  text: string;
}
export interface Query {
  id: string;
  text: string;
}
export interface Collection {
  docs: Doc[];
  queries: Query[];
  /** qid → ids of relevant docs (binary relevance). */
  qrels: Map<string, Set<string>>;
}
export type Format = 'smart' | 'trec';

function smartRecords(raw: string): Map<string, string>[] {
  const records: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  let field = '';
  for (const line of raw.replace(/\r\n?/g, '\n').split('\n')) {
    const m = /^\.([A-Z])(?:\s+(.*))?$/.exec(line);
    if (m) {
      if (m[1] === 'I') {
        current = new Map([['I', (m[2] ?? '').trim()]]);
        records.push(current);
        field = '';
      } else {
        field = m[1]!;
        current?.set(field, current.get(field) ?? '');
        if (m[2]) current?.set(field, `${current.get(field)}${m[2]}\n`);
      }
      continue;
    }
    if (current && field) current.set(field, `${current.get(field)}${line}\n`);
  }
  return records;
}

const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

export function parseSmartDocs(raw: string): Doc[] {
  return smartRecords(raw).map((r) => ({ id: normalizeId(r.get('I')!), title: clean(r.get('T')), text: clean(r.get('W')) }));
}

/** SMART queries numbered by position (Cranfield's judgements use positions; its `.I` numbers have gaps). */
export function parseSmartQueries(raw: string): Query[] {
  return smartRecords(raw).map((r, i) => ({ id: String(i + 1), text: clean(r.get('W') ?? r.get('T')) }));
}

/** The `.I` numbers of SMART queries, in file order (MED and CACM judge by these). */
export function smartQueryNumbers(raw: string): string[] {
  return smartRecords(raw).map((r) => normalizeId(r.get('I')!));
}

/**
 * How a judgement file marks relevance. Files in use come in three shapes:
 *  - `graded`: `qid docid grade` (Cranfield: grade > 0 is relevant, its -1 artefact rows are not);
 *  - `trec`: `qid iter docid grade`;
 *  - `listed`: `qid docid` or `qid docid 0 0.000000` (MED.REL.OLD, CACM's qrels.text): the trailing
 *    columns are unused and being listed means relevant.
 * Told apart by which columns carry information: a column with one value in every row carries none.
 * Reading a listed file's constant third column as a grade found no relevant document at all.
 */
export type QrelsShape = 'graded' | 'trec' | 'listed';

export function qrelsShape(rows: readonly string[][]): QrelsShape {
  if (rows.length === 0) return 'listed';
  const width = Math.min(...rows.map((r) => r.length));
  const constant = (c: number) => rows.every((r) => r[c] === rows[0]![c]);
  if (width <= 2) return 'listed';
  if (width === 3) return constant(2) ? 'listed' : 'graded';
  // Four columns: TREC's iteration column is constant while its doc column varies; a listed file's
  // third and fourth are both constant.
  if (constant(2) && constant(3) && !constant(1)) return 'listed';
  return 'trec';
}

/** Numeric ids lose leading zeros (CACM's judgements say "01" for query 1). */
export const normalizeId = (id: string) => (/^\d+$/.test(id) ? String(Number(id)) : id);

export function parseQrelsWithShape(raw: string): { shape: QrelsShape; qrels: Map<string, Set<string>>; rows: number } {
  const rows = raw
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 2 && cols[0]);
  const shape = qrelsShape(rows);
  const qrels = new Map<string, Set<string>>();
  for (const cols of rows) {
    const qid = normalizeId(cols[0]!);
    const docid = normalizeId(shape === 'trec' ? cols[2]! : cols[1]!);
    const grade = shape === 'listed' ? 1 : Number(shape === 'trec' ? cols[3] : cols[2]);
    if (!(grade > 0)) continue;
    let set = qrels.get(qid);
    if (!set) qrels.set(qid, (set = new Set()));
    set.add(docid);
  }
  return { shape, qrels, rows: rows.length };
}

export function parseQrels(raw: string): Map<string, Set<string>> {
  return parseQrelsWithShape(raw).qrels;
}

const tagText = (block: string, tag: string) => {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'i').exec(block);
  return m ? m[1]! : undefined;
};
const stripTags = (s: string) => s.replace(/<[^>]+>/g, ' ');

export function parseTrecDocs(raw: string): Doc[] {
  const docs: Doc[] = [];
  for (const m of raw.matchAll(/<DOC>([\s\S]*?)<\/DOC>/gi)) {
    const block = m[1]!;
    const id = normalizeId(clean(tagText(block, 'DOCNO')));
    const titleTag = ['TITLE', 'HEADLINE', 'HEAD'].find((t) => tagText(block, t) !== undefined);
    const title = titleTag ? clean(stripTags(tagText(block, titleTag)!)) : '';
    let rest = block.replace(/<DOCNO>[\s\S]*?<\/DOCNO>/i, '');
    if (titleTag) rest = rest.replace(new RegExp(`<${titleTag}>[\\s\\S]*?</${titleTag}>`, 'i'), '');
    docs.push({ id, title, text: clean(stripTags(rest)) });
  }
  return docs;
}

export function parseTrecTopics(raw: string): Query[] {
  const out: Query[] = [];
  for (const m of raw.matchAll(/<top>([\s\S]*?)<\/top>/gi)) {
    const block = m[1]!;
    const num = /<num>\s*(?:Number:)?\s*(\S+)/i.exec(block)?.[1] ?? String(out.length + 1);
    // <title> may be closed or run until the next tag.
    const title = /<title>\s*(?:Topic:)?([\s\S]*?)(?=<\/title>|<\w+>|$)/i.exec(block)?.[1] ?? '';
    out.push({ id: normalizeId(num.replace(/<.*$/, '')), text: clean(title) });
  }
  return out;
}

/**
 * Refuses a collection whose judgements cannot be right: no judged query among the queries read, or
 * judgements naming queries or documents that were not read (a wrong id scheme or a misread shape
 * would otherwise score every ranker 0 without complaint).
 */
export function checkCollection(c: Collection, where: string, shape?: QrelsShape): void {
  const queryIds = new Set(c.queries.map((q) => q.id));
  const docIds = new Set(c.docs.map((d) => d.id));
  const judged = [...c.qrels.keys()].filter((q) => queryIds.has(q) && c.qrels.get(q)!.size > 0);
  const how = shape ? ` (judgements read as ${shape})` : '';
  if (judged.length === 0) throw new Error(`${where}: no judged query — ${c.qrels.size} judged query ids, none among the ${c.queries.length} queries read${how}`);
  const unknownQueries = [...c.qrels.keys()].filter((q) => !queryIds.has(q));
  if (unknownQueries.length > 0.05 * c.qrels.size) throw new Error(`${where}: ${unknownQueries.length} of ${c.qrels.size} judged query ids are not among the queries read (e.g. ${unknownQueries.slice(0, 3).join(', ')})${how}`);
  let pairs = 0;
  const missing: string[] = [];
  for (const rel of c.qrels.values()) for (const d of rel) (pairs++, docIds.has(d) || missing.push(d));
  if (missing.length > 0.05 * pairs) throw new Error(`${where}: ${missing.length} of ${pairs} relevant documents are not among the documents read (e.g. ${missing.slice(0, 3).join(', ')})${how}`);
  const perQuery = pairs / judged.length;
  if (perQuery > 0.5 * c.docs.length) throw new Error(`${where}: ${perQuery.toFixed(0)} relevant documents per judged query of ${c.docs.length} documents looks wrong${how}`);
}

export function loadCollection(paths: { docs: string; queries: string; qrels: string }, format: Format): Collection & { judged: number; shape: QrelsShape } {
  const read = (p: string) => readFileSync(p, 'utf8');
  const docs = format === 'smart' ? parseSmartDocs(read(paths.docs)) : parseTrecDocs(read(paths.docs));
  let queries = format === 'smart' ? parseSmartQueries(read(paths.queries)) : parseTrecTopics(read(paths.queries));
  const { qrels, shape } = parseQrelsWithShape(read(paths.qrels));
  if (format === 'smart') {
    // Judgements number SMART queries by position (Cranfield) or by `.I` (MED, CACM): take the
    // numbering that more judged query ids fall into (`.I` on a tie).
    const numbers = smartQueryNumbers(read(paths.queries));
    const hits = (ids: string[]) => ids.filter((id) => qrels.has(id)).length;
    if (new Set(numbers).size === numbers.length && hits(numbers) >= hits(queries.map((q) => q.id))) queries = queries.map((q, i) => ({ ...q, id: numbers[i]! }));
  }
  const collection = { docs, queries, qrels };
  checkCollection(collection, paths.qrels, shape);
  const judged = queries.filter((q) => (qrels.get(q.id)?.size ?? 0) > 0).length;
  return { ...collection, judged, shape };
}
