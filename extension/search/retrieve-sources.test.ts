import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord } from '@/test-support/records';
import { putRecords } from '@/db/change-log';
import type { VectorHitMessage } from '@shared/schemas/ai-messages';
import { retrieveSources, hybridSearch } from '@/search/retrieval';
import { keywordList } from '@/search/hybrid';
import { Bm25Index, RANKING_INDEX_OPTIONS } from '@/search/bm25-index';

describe('retrieval', () => {
  let db: CalicoDb;
  const now = Date.now();
  const TEXTS = ['Rates went up to cool prices.', 'Cats nap all afternoon.', 'Tides follow the moon.'];
  beforeEach(async () => {
    db = await openTestDb('ask');
    await putRecords(
      'highlights',
      ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((id, i) => highlightRecord(id, TEXTS[i]!, { createdAt: now })),
      db,
    );
    await db.chunks.bulkPut(
      ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((id, i) => ({
        id: `highlight:${id}#0`,
        sourceKind: 'highlight' as const,
        sourceId: id,
        model: 'm',
        ordinal: 0,
        text: TEXTS[i]!,
        vector: new Int8Array(4),
        scale: 1,
        url: `https://e.com/${id}`,
        site: 'e.com',
        title: `Page ${id}`,
        at: now,
      })),
    );
  });
  afterEach(async () => {
    await dropTestDb(db);
  });

  const hit = (id: string, score: number): VectorHitMessage => ({ id: `highlight:${id}#0`, sourceKind: 'highlight', sourceId: id, score, url: `https://e.com/${id}`, title: `Page ${id}`, site: 'e.com', at: now });

  it('numbers the fused sources and carries the highlight to reveal', async () => {
    const sources = await retrieveSources('monetary tightening', {
      db,
      searchVectors: async () => ({ hits: [hit('aaaaaaaa', 0.7), hit('cccccccc', 0.35), hit('bbbbbbbb', 0.05)] }),
    });
    expect(sources.map((s) => [s.n, s.sourceId, s.text])).toEqual([
      [1, 'aaaaaaaa', 'Rates went up to cool prices.'],
      [2, 'cccccccc', 'Tides follow the moon.'],
    ]);
    expect(sources[0]!.highlightId).toBe('aaaaaaaa');
  });

  it('gives the side panel vector-only documents shaped like keyword results', async () => {
    const results = await hybridSearch('monetary tightening', { kind: 'all' }, { rankKeywords: () => ({ list: keywordList(new Bm25Index(RANKING_INDEX_OPTIONS).search('', 0)), results: [] }), searchVectors: async () => ({ hits: [hit('aaaaaaaa', 0.7)] }), db });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: 'highlight:aaaaaaaa', kind: 'highlight', key: 'aaaaaaaa', title: 'Page aaaaaaaa', rank: 1 });
  });
});
