import { describe, expect, it } from 'vitest';
import { checkCollection, parseQrels, parseQrelsWithShape, qrelsShape, parseSmartDocs, parseSmartQueries, parseTrecDocs, parseTrecTopics } from './collection';
import { evaluate, ndcgAt, recallAt } from './metrics';

describe('collection readers', () => {
  it('reads SMART docs (CRLF, multi-line fields) and numbers queries by position', () => {
    const docs = parseSmartDocs('.I 1\r\n.T\r\nwing flow\r\n.A\r\nsmith\r\n.B\r\nj. 1\r\n.W\r\nwing flow .\r\n  lift of a\r\nwing\r\n.I 2\r\n.T\r\nheat\r\n.W\r\nheat transfer\r\n');
    expect(docs).toEqual([
      { id: '1', title: 'wing flow', text: 'wing flow . lift of a wing' },
      { id: '2', title: 'heat', text: 'heat transfer' },
    ]);
    const queries = parseSmartQueries('.I 001\n.W\nwhat is lift\n.I 004\n.W\nheat\nflux .\n');
    expect(queries).toEqual([{ id: '1', text: 'what is lift' }, { id: '2', text: 'heat flux .' }]);
  });

  it('reads judgements in 3-column SMART and 4-column TREC form, dropping non-positive codes', () => {
    const q = parseQrels('1 184 2\r\n1 29 -1\r\n2 12 4\n\n');
    expect([...q.get('1')!]).toEqual(['184']);
    expect([...q.get('2')!]).toEqual(['12']);
    const t = parseQrels('401 0 FT1-1 1\n401 0 FT1-2 0\n402 0 LA-3 2\n');
    expect([...t.get('401')!]).toEqual(['FT1-1']);
    expect(t.get('402')!.has('LA-3')).toBe(true);
  });

  it('reads TREC documents and topics', () => {
    const docs = parseTrecDocs('<DOC>\n<DOCNO> D1 </DOCNO>\n<HEADLINE>Big news</HEADLINE>\n<TEXT>\nSome <b>text</b> here.\n</TEXT>\n</DOC>\n<DOC><DOCNO>D2</DOCNO><TEXT>Other</TEXT></DOC>');
    expect(docs).toEqual([
      { id: 'D1', title: 'Big news', text: 'Some text here.' },
      { id: 'D2', title: '', text: 'Other' },
    ]);
    const topics = parseTrecTopics('<top>\n<num> Number: 401\n<title> foreign minorities, Germany\n\n<desc> Description:\nWhat...\n</top>\n<top><num>402</num><title>behavioral genetics</title></top>');
    expect(topics).toEqual([{ id: '401', text: 'foreign minorities, Germany' }, { id: '402', text: 'behavioral genetics' }]);
  });
});

describe('metrics', () => {
  it('computes binary nDCG@k and recall@k', () => {
    const rel = new Set(['a', 'c']);
    expect(ndcgAt(['a', 'c', 'x'], rel, 10)).toBeCloseTo(1);
    expect(ndcgAt(['x', 'a', 'c'], rel, 10)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)));
    expect(recallAt(['x', 'a'], rel, 100)).toBe(0.5);
    const m = evaluate(new Map([['1', ['a']], ['2', ['z']]]), new Map([['1', new Set(['a'])], ['2', new Set(['y'])], ['3', new Set()]]));
    expect(m).toEqual({ 'ndcg@10': 0.5, 'recall@100': 0.5, queries: 2 });
  });
});

describe('judgement shapes', () => {
  it('reads listed judgements (MED, CACM: `qid docid 0 0.000000`, zero-padded ids) as relevant', () => {
    const med = parseQrelsWithShape('1   13     0   0.000000\r\n1   14     0   0.000000\r\n2   20     0   0.000000\r\n');
    expect(med.shape).toBe('listed');
    expect([...med.qrels.get('1')!]).toEqual(['13', '14']);
    const cacm = parseQrelsWithShape('01 1410  0 0\n01 1572  0 0\n02 2434  0 0\n');
    expect(cacm.shape).toBe('listed');
    expect([...cacm.qrels.get('1')!]).toEqual(['1410', '1572']);
    expect(cacm.qrels.get('2')!.has('2434')).toBe(true);
    expect(qrelsShape([['1', '5'], ['2', '6']])).toBe('listed');
    expect(qrelsShape([['1', '5', '0'], ['2', '6', '0']])).toBe('listed');
    expect(qrelsShape([['1', '5', '2'], ['2', '6', '-1']])).toBe('graded');
    expect(qrelsShape([['401', '0', 'A', '1'], ['401', '0', 'B', '0']])).toBe('trec');
  });

  it('refuses a collection with no judged query or judgements naming unknown documents', () => {
    const docs = [{ id: '1', title: '', text: 'a' }, { id: '2', title: '', text: 'b' }];
    const queries = [{ id: '1', text: 'a' }];
    expect(() => checkCollection({ docs, queries, qrels: new Map() }, 'x')).toThrow(/no judged query/);
    expect(() => checkCollection({ docs, queries, qrels: new Map([['9', new Set(['1'])]]) }, 'x')).toThrow(/no judged query/);
    expect(() => checkCollection({ docs, queries, qrels: new Map([['1', new Set(['1', '7'])]]) }, 'x')).toThrow(/not among the documents/);
    expect(() => checkCollection({ docs, queries, qrels: new Map([['1', new Set(['1'])]]) }, 'x')).not.toThrow();
  });
});
