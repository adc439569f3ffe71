import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollection } from './collection';

// Guards the hand-made held-out collection against format slips (a dropped </DOC>, a typo'd doc id in
// the judgements) that would silently shrink what the bench measures.
const dir = join(__dirname, 'collections', 'saved-pages');
const paths = { docs: join(dir, 'docs.trec'), queries: join(dir, 'topics.trec'), qrels: join(dir, 'qrels.trec') };

describe('saved-pages collection', () => {
  const c = loadCollection(paths, 'trec');

  it('parses every <DOC> into a titled, page-length document with a unique id', () => {
    const rawDocs = readFileSync(paths.docs, 'utf8').match(/<DOC>/g)?.length;
    expect(c.docs.length).toBe(rawDocs);
    expect(c.docs.length).toBe(80);
    expect(new Set(c.docs.map((d) => d.id)).size).toBe(c.docs.length);
    for (const d of c.docs) {
      expect(d.title, d.id).not.toBe('');
      const words = d.text.split(' ').length;
      expect(words, d.id).toBeGreaterThanOrEqual(120);
      expect(words, d.id).toBeLessThanOrEqual(350);
    }
  });

  it('parses 36 numbered queries, each judged relevant to 1–4 existing documents', () => {
    expect(c.queries.map((q) => q.id)).toEqual(Array.from({ length: 36 }, (_, i) => String(i + 1)));
    for (const q of c.queries) expect(q.text, q.id).not.toBe('');
    const ids = new Set(c.docs.map((d) => d.id));
    expect([...c.qrels.keys()].sort()).toEqual(c.queries.map((q) => q.id).sort());
    for (const [qid, rel] of c.qrels) {
      expect(rel.size, qid).toBeGreaterThanOrEqual(1);
      expect(rel.size, qid).toBeLessThanOrEqual(4);
      for (const d of rel) expect(ids.has(d), `${qid} → ${d}`).toBe(true);
    }
  });
});
