import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollection } from './collection';
import { expectQueriesJudged } from './collection-checks';

// Guards the hand-made held-out SMART collection against format slips (a record whose `.W` line went
// missing, a qrels line naming a doc id that does not exist, a query left unjudged) that would
// silently shrink what the bench measures.
const dir = join(__dirname, 'collections', 'mixed-memory');
const paths = { docs: join(dir, 'docs.all'), queries: join(dir, 'queries.qry'), qrels: join(dir, 'qrels') };
const raw = readFileSync(paths.docs, 'utf8');

describe('mixed-memory collection', () => {
  const c = loadCollection(paths, 'smart');
  // `.B` says which kind each record is; the reader ignores it, so read it here.
  const kinds = [...raw.matchAll(/^\.B\n(\w+)$/gm)].map((m) => m[1]);

  it('parses every .I record into a titled document with a unique id, 35 highlights and 56 pages', () => {
    expect(c.docs.length).toBe(raw.match(/^\.I /gm)?.length);
    expect(c.docs.length).toBe(91);
    expect(new Set(c.docs.map((d) => d.id)).size).toBe(c.docs.length);
    expect(kinds.length).toBe(c.docs.length);
    expect(kinds.filter((k) => k === 'highlight').length).toBe(35);
    expect(kinds.filter((k) => k === 'page').length).toBe(56);
    c.docs.forEach((d, i) => {
      expect(d.title, d.id).not.toBe('');
      const words = d.text.split(' ').length;
      const [min, max] = kinds[i] === 'highlight' ? [20, 60] : [120, 300];
      expect(words, `${d.id} (${kinds[i]})`).toBeGreaterThanOrEqual(min);
      expect(words, `${d.id} (${kinds[i]})`).toBeLessThanOrEqual(max);
    });
  });

  it('parses 40 queries numbered by position, each judged relevant to 1–4 existing documents', () => {
    expectQueriesJudged(c, 40);
  });
});
