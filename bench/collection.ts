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
  return smartRecords(raw).map((r) => ({ id: r.get('I')!, title: clean(r.get('T')), text: clean(r.get('W')) }));
}

export function parseSmartQueries(raw: string): Query[] {
  return smartRecords(raw).map((r, i) => ({ id: String(i + 1), text: clean(r.get('W') ?? r.get('T')) }));
}

export function parseQrels(raw: string): Map<string, Set<string>> {
  const qrels = new Map<string, Set<string>>();
  for (const line of raw.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2 || !cols[0]) continue;
    let qid: string, docid: string, rel: number;
    if (cols.length >= 4) [qid, , docid, rel] = [cols[0]!, cols[1], cols[2]!, Number(cols[3])];
    else [qid, docid, rel] = [cols[0]!, cols[1]!, cols.length === 3 ? Number(cols[2]) : 1];
    if (!(rel > 0)) continue;
    let set = qrels.get(qid);
    if (!set) qrels.set(qid, (set = new Set()));
    set.add(docid);
  }
  return qrels;
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
    const id = clean(tagText(block, 'DOCNO'));
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
    out.push({ id: num.replace(/<.*$/, ''), text: clean(title) });
  }
  return out;
}

export function loadCollection(paths: { docs: string; queries: string; qrels: string }, format: Format): Collection {
  const read = (p: string) => readFileSync(p, 'utf8');
  const docs = format === 'smart' ? parseSmartDocs(read(paths.docs)) : parseTrecDocs(read(paths.docs));
  const queries = format === 'smart' ? parseSmartQueries(read(paths.queries)) : parseTrecTopics(read(paths.queries));
  return { docs, queries, qrels: parseQrels(read(paths.qrels)) };
}
