import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollection } from './collection';
import { expectQueriesJudged } from './collection-checks';

// Guards the hand-made collection against format slips (a dropped </DOC>, a typo'd doc id in
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
    expectQueriesJudged(c, 36);
  });
});
