import { expect } from 'vitest';
import type { Collection } from './collection';

/**
 * Test support for the hand-made collections: `count` queries numbered by position, each with text
 * and judged relevant to 1–4 documents that exist (a judgement naming a missing document would
 * silently count as a miss for every ranker).
 */
export function expectQueriesJudged(c: Collection, count: number): void {
  expect(c.queries.map((q) => q.id)).toEqual(Array.from({ length: count }, (_, i) => String(i + 1)));
  for (const q of c.queries) expect(q.text, q.id).not.toBe('');
  const ids = new Set(c.docs.map((d) => d.id));
  expect([...c.qrels.keys()].sort()).toEqual(c.queries.map((q) => q.id).sort());
  for (const [qid, rel] of c.qrels) {
    expect(rel.size, qid).toBeGreaterThanOrEqual(1);
    expect(rel.size, qid).toBeLessThanOrEqual(4);
    for (const d of rel) expect(ids.has(d), `${qid} → ${d}`).toBe(true);
  }
}
