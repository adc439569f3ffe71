import { beforeEach, describe, expect, it } from 'vitest';
import { SearchResponse } from '../../../shared/schemas/cloud';
import { floatsToBase64 } from '../store/vector-codec';
import { call, hlcAt, highlightData, json, newAccount, newId, push, resetDb, visitData } from '../../test/helpers';

beforeEach(resetDb);

const T0 = Date.now() - 60_000;
const MODEL = 'test-embedder';

function vec(values: number[]) {
  return { model: MODEL, dims: values.length, chunks: [{ encoding: 'f32', data: floatsToBase64(values) }] };
}

async function seed(token: string) {
  const ids = { jars: newId('hl'), cats: newId('hl'), tide: newId('v'), quant: newId('hl') };
  await push(token, [
    { op: 'put', kind: 'highlight', key: ids.jars, hlc: hlcAt(T0, 'd'), data: highlightData(ids.jars, { text: 'Octopuses open jars from the inside.' }), vectors: vec([1, 0, 0, 0]) },
    { op: 'put', kind: 'highlight', key: ids.cats, hlc: hlcAt(T0, 'd'), data: highlightData(ids.cats, { pageTitle: 'Cats', text: 'Cats sleep sixteen hours a day.', note: 'feline rest' }), vectors: vec([0, 1, 0, 0]) },
    { op: 'put', kind: 'visit', key: ids.tide, hlc: hlcAt(T0, 'd'), data: visitData(ids.tide, { title: 'Tide tables for the harbour' }) },
    // Quantised (int8) vector, close to the "jars" direction.
    { op: 'put', kind: 'highlight', key: ids.quant, hlc: hlcAt(T0, 'd'), data: highlightData(ids.quant, { text: 'Cephalopod intelligence overview.' }), vectors: { model: MODEL, dims: 4, chunks: [{ encoding: 'i8', scale: 1 / 127, data: btoa(String.fromCharCode(120, 30, 0, 0)) }] } },
  ]);
  return ids;
}

describe('POST /v1/search', () => {
  it('keyword-only for a text query: bm25 over the user’s records, snippets as parts', async () => {
    const a = await newAccount();
    const ids = await seed(a.token);
    const res = await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'sleeping cats' } });
    expect(res.status).toBe(200);
    const body = SearchResponse.parse(await json(res));
    expect(body.mode).toBe('keyword');
    expect(body.hits[0]).toMatchObject({ kind: 'highlight', key: ids.cats, title: 'Cats', vectorRank: null, keywordRank: 1 });
    expect(body.hits[0]!.snippet.some((p) => p.match && /cats/i.test(p.text))).toBe(true);
    // Notes are searchable too.
    const note = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'feline' } })));
    expect(note.hits.map((h) => h.key)).toEqual([ids.cats]);
  });

  it('hybrid with a query vector: fuses keyword and vector ranks (RRF)', async () => {
    const a = await newAccount();
    const ids = await seed(a.token);
    const res = await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'jars', vector: [0.9, 0.1, 0, 0], model: MODEL } });
    const body = SearchResponse.parse(await json(res));
    expect(body.mode).toBe('hybrid');
    // In both lists, so first; the int8 one is found by meaning only.
    expect(body.hits[0]).toMatchObject({ key: ids.jars, keywordRank: 1, vectorRank: 1 });
    const quant = body.hits.find((h) => h.key === ids.quant)!;
    expect(quant).toMatchObject({ keywordRank: null, vectorRank: 2 });
    expect(body.hits[0]!.score).toBeGreaterThan(quant.score);
  });

  it('vector-only, filtered by kind, and ignoring vectors of another model', async () => {
    const a = await newAccount();
    const ids = await seed(a.token);
    const body = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { vector: [0, 1, 0, 0], model: MODEL, kinds: ['highlight'], limit: 2 } })));
    expect(body.mode).toBe('vector');
    expect(body.hits.map((h) => h.key)).toEqual([ids.cats, ids.quant]);
    const other = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { vector: [0, 1, 0, 0], model: 'other-model' } })));
    expect(other.hits).toEqual([]);
    const visits = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'tide harbour', kinds: ['visit'] } })));
    expect(visits.hits.map((h) => h.key)).toEqual([ids.tide]);
  });

  it('deleted records leave the index', async () => {
    const a = await newAccount();
    const ids = await seed(a.token);
    await push(a.token, [{ op: 'delete', kind: 'highlight', key: ids.cats, hlc: hlcAt(T0 + 1, 'd') }]);
    const kw = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'cats' } })));
    expect(kw.hits).toEqual([]);
    const vs = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { vector: [0, 1, 0, 0], model: MODEL } })));
    expect(vs.hits.map((h) => h.key)).not.toContain(ids.cats);
  });

  it('treats FTS syntax in the query as plain words', async () => {
    const a = await newAccount();
    await seed(a.token);
    for (const q of ['"unbalanced', 'cats AND NOT (', 'title:cats*', 'NEAR(a b)', '***']) {
      expect((await call('/v1/search', { method: 'POST', token: a.token, json: { q } })).status, q).toBe(200);
    }
  });

  it('400s on bad requests and 401s without a token', async () => {
    const a = await newAccount();
    for (const body of [{}, { q: '' }, { vector: [1, 2] }, { q: 'x', limit: 0 }, { q: 'x', kinds: ['nope'] }, { q: 'x'.repeat(1001) }]) {
      expect((await call('/v1/search', { method: 'POST', token: a.token, json: body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('/v1/search', { method: 'POST', json: { q: 'x' } })).status).toBe(401);
  });
});

describe('snippets can’t be forged by record text (issue 9)', () => {
  it('control characters in a record never mark words as matches', async () => {
    const a = await newAccount();
    const id = newId('hl');
    // \u0001 and \u0002 were the fixed match marks: text carrying them used to come back "matched".
    const forged = 'Plain words \u0001forged\u0002 and \u0001fake\u0002 marks around the harbour lighthouse.';
    const res = await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(T0, 'd'), data: highlightData(id, { text: forged, note: 'x \u0001note\u0002 y' }) }]);
    expect(res.status).toBe(200);
    const body = SearchResponse.parse(await json(await call('/v1/search', { method: 'POST', token: a.token, json: { q: 'lighthouse' } })));
    expect(body.hits.map((h) => h.key)).toEqual([id]);
    const matched = body.hits[0]!.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase());
    expect(matched).toEqual(['lighthouse']);
    expect(body.hits[0]!.snippet.map((p) => p.text).join('')).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
  });
});
