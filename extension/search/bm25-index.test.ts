import { describe, expect, it } from 'vitest';
import { Bm25Index, RANKING_INDEX_OPTIONS, withinEdits, type Bm25Options } from './bm25-index';
import { analyze } from './analyzer';
import { seededRandom } from '@/test-support/seeded-random';

const OPTIONS: Bm25Options = { fields: ['title', 'text'], boost: { title: 2 } };

function build(docs: Record<string, { title?: string; text?: string }>, options = OPTIONS) {
  const index = new Bm25Index(options);
  for (const [id, d] of Object.entries(docs)) index.add(id, d);
  return index;
}

/** BM25F written out the slow, obvious way, to check the index's arithmetic. */
function reference(docs: Record<string, { title?: string; text?: string }>, query: string, k1 = 1.2, b = 0.75) {
  const fields = ['title', 'text'] as const;
  const boost = { title: 2, text: 1 };
  const analysed = Object.fromEntries(Object.entries(docs).map(([id, d]) => [id, { title: analyze(d.title ?? ''), text: analyze(d.text ?? '') }]));
  const N = Object.keys(docs).length;
  const avg = Object.fromEntries(fields.map((f) => [f, Object.values(analysed).reduce((s, d) => s + d[f].length, 0) / N]));
  const scores = new Map<string, number>();
  for (const term of new Set(analyze(query))) {
    const df = Object.values(analysed).filter((d) => d.title.includes(term) || d.text.includes(term)).length;
    if (!df) continue;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    for (const [id, d] of Object.entries(analysed)) {
      let w = 0;
      for (const f of fields) {
        const tf = d[f].filter((t) => t === term).length;
        if (tf) w += (boost[f] * tf) / (1 - b + (b * d[f].length) / avg[f]!);
      }
      if (w) scores.set(id, (scores.get(id) ?? 0) + (idf * w) / (k1 + w));
    }
  }
  return [...scores].sort((a, b2) => b2[1] - a[1] || (a[0] < b2[0] ? -1 : 1));
}

const DOCS = {
  a: { title: 'Heating a wing', text: 'The wing heated unevenly at supersonic speeds; heating rates were measured.' },
  b: { title: 'Boundary layers', text: 'Laminar boundary layer flow over a flat plate, with heat transfer.' },
  c: { title: 'Terrariums', text: 'Sealed glass jars keep their own water cycle, so plants inside rarely need watering.' },
  d: { title: 'Sourdough', text: 'A starter of flour and water ferments for days before the first loaf.' },
  e: { text: 'Wing flutter and wing heating: a wing that heats flutters sooner.' },
};

describe('Bm25Index', () => {
  it('scores exactly as BM25F written out by hand, best first', () => {
    const index = build(DOCS);
    for (const q of ['heated wings', 'water', 'boundary layer heat', 'glass plants watering flour']) {
      const got = index.search(q, 10).hits.map((h) => [h.id, h.score] as const);
      const want = reference(DOCS, q);
      expect(got.map(([id]) => id)).toEqual(want.map(([id]) => id));
      got.forEach(([, s], i) => expect(s).toBeCloseTo(want[i]![1], 5));
    }
  });

  it('counts the distinct query terms each hit contains, and reports the analysed query', () => {
    const { hits, terms } = build(DOCS).search('the heated wing, the WINGS', 10);
    expect(terms).toEqual(['heat', 'wing']);
    expect(hits.find((h) => h.id === 'a')!.matched).toBe(2);
    expect(hits.find((h) => h.id === 'b')!.matched).toBe(1);
  });

  it('keeps the best k, filters by id, and returns nothing for unknown or stop-word queries', () => {
    const index = build(DOCS);
    expect(index.search('water wing heat', 2).hits).toHaveLength(2);
    expect(index.search('water wing heat', 2).hits.map((h) => h.id)).toEqual(index.search('water wing heat', 10).hits.slice(0, 2).map((h) => h.id));
    expect(index.search('wing', 10, (id) => id !== 'a').hits.map((h) => h.id)).toEqual(['e']);
    expect(index.search('zeppelin', 10).hits).toEqual([]);
    expect(index.search('the of and', 10).hits).toEqual([]);
    expect(index.search('wing', 0).hits).toEqual([]);
  });

  it('replaces and removes documents, keeping document frequencies exact', () => {
    const index = build(DOCS);
    index.add('c', { title: 'Terrariums', text: 'Wing-shaped leaves.' });
    index.remove('d');
    index.remove('missing');
    expect(index.size).toBe(4);
    expect(index.has('d')).toBe(false);
    const now = { ...DOCS, c: { title: 'Terrariums', text: 'Wing-shaped leaves.' } } as Record<string, { title?: string; text?: string }>;
    delete now.d;
    const got = index.search('wing water flour', 10).hits;
    const want = reference(now, 'wing water flour');
    expect(got.map((h) => h.id)).toEqual(want.map(([id]) => id));
    got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]![1], 5));
  });

  it('compacts removed slots without changing any score', () => {
    const index = new Bm25Index(OPTIONS);
    for (let i = 0; i < 3000; i++) index.add(`d${i}`, { text: `alpha ${i % 7 === 0 ? 'beta' : 'gamma'} item${i}` });
    const before = index.search('beta', 5).hits;
    for (let i = 0; i < 3000; i += 2) if (i % 7 !== 0) index.remove(`d${i}`); // passes the sweep threshold
    for (let i = 0; i < 3000; i += 2) if (i % 7 !== 0) index.add(`d${i}`, { text: `alpha gamma item${i}` });
    const after = index.search('beta', 5).hits;
    expect(after).toEqual(before);
    index.compact();
    expect(index.search('beta', 5).hits).toEqual(before);
  });

  it('round-trips through a structured-clone-able snapshot', () => {
    const index = build(DOCS);
    index.remove('b');
    const snapshot = structuredClone(index.toSnapshot());
    const copy = Bm25Index.fromSnapshot(snapshot, OPTIONS);
    expect(copy.size).toBe(index.size);
    for (const q of ['wing heat', 'water plants', 'boundary']) expect(copy.search(q, 10)).toEqual(index.search(q, 10));
    copy.add('f', { text: 'water water water' });
    expect(copy.search('water', 1).hits[0]!.id).toBe('f');
  });

  it('refuses a snapshot of other fields or a corrupt one', () => {
    const snapshot = build(DOCS).toSnapshot();
    expect(() => Bm25Index.fromSnapshot(snapshot, { fields: ['text'] })).toThrow(/other fields/);
    // A posting naming a slot past the last document, a list cut short, ids and lengths that disagree.
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, postings: snapshot.postings.map(() => 0x7f) }, OPTIONS)).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, postings: snapshot.postings.subarray(1) }, OPTIONS)).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, counts: snapshot.counts.map((c) => c + 1) }, OPTIONS)).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, lengths: snapshot.lengths.subarray(2) }, OPTIONS)).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, forward: snapshot.forward.map(() => 0xff) }, OPTIONS)).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromSnapshot({ ...snapshot, idEnds: snapshot.idEnds.map((e) => e + 1) }, OPTIONS)).toThrow(/inconsistent/);
  });
});

describe('Bm25Index pruning (MaxScore) returns the exhaustive top k', () => {
  // Skewed vocabulary (a few words in most documents, many rare ones), duplicate documents (exact
  // ties, broken by id), long and short queries, small and large k: where pruning skips most postings.
  const rand = seededRandom(11);
  const vocab = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}x`);
  const word = () => vocab[Math.floor(vocab.length * rand() ** 3)]!;
  const docs: Record<string, { title?: string; text?: string }> = {};
  for (let i = 0; i < 400; i++) {
    const text = Array.from({ length: 5 + Math.floor(rand() * 40) }, word).join(' ');
    docs[`d${String(i).padStart(3, '0')}`] = { title: rand() < 0.3 ? word() : undefined, text };
    if (i % 50 === 0) docs[`e${i}`] = { text }; // a twin: the same score
  }

  it.each([1, 3, 10, 50, 1000])('k = %i', (k) => {
    const index = build(docs);
    for (let q = 0; q < 40; q++) {
      const query = Array.from({ length: q % 2 ? 2 + Math.floor(rand() * 3) : 15 + Math.floor(rand() * 6) }, word).join(' ');
      const got = index.search(query, k).hits;
      const want = reference(docs, query).slice(0, k);
      expect(got.map((h) => h.id)).toEqual(want.map(([id]) => id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]![1], 5));
    }
  });

  it('prunes by the bounds of the averages it was cached under after documents come and go', () => {
    const index = build(docs);
    index.search('w1x w2x w3x w4x', 5); // caches every term's bound
    const now = { ...docs };
    // Long documents raise the average length, so every normalised tf (and bound) grows.
    for (let i = 0; i < 200; i++) {
      const id = `long${i}`;
      now[id] = { text: Array.from({ length: 200 }, word).join(' ') };
      index.add(id, now[id]!);
      if (i % 3 === 0) {
        index.remove(`d${String(i).padStart(3, '0')}`);
        delete now[`d${String(i).padStart(3, '0')}`];
      }
    }
    for (let q = 0; q < 30; q++) {
      const query = Array.from({ length: 4 + (q % 15) }, word).join(' ');
      expect(index.search(query, 5).hits.map((h) => h.id)).toEqual(reference(now, query).slice(0, 5).map(([id]) => id));
    }
  });
});

describe('Bm25Index pseudo-relevance feedback', () => {
  it('adds the words the best documents share, and finds a document holding only those', () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    index.add('a', { title: 'boundary layer', text: 'boundary layer transition on a heated plate turbulence' });
    index.add('b', { title: 'boundary layer', text: 'boundary layer suction and turbulence near the wall' });
    index.add('c', { title: 'turbulence', text: 'turbulence spectra measured near a wall' });
    for (let i = 0; i < 8; i++) index.add(`filler${i}`, { text: `unrelated cooking recipe number ${i} with bread` });
    const plain = index.search('boundary layer', 10);
    expect(plain.hits.map((h) => h.id)).not.toContain('c');
    const fed = index.searchWithFeedback('boundary layer', 10, { docs: 2, terms: 3, weight: 0.5 });
    expect(fed.hits.map((h) => h.id).slice(0, 2).sort()).toEqual(['a', 'b']);
    expect(fed.hits.map((h) => h.id)).toContain('c');
    // The query's own terms still define matched, terms and maxScore; the first pass comes along.
    expect(fed.terms).toEqual(plain.terms);
    expect(fed.maxScore).toBeCloseTo(plain.maxScore);
    expect(fed.hits.find((h) => h.id === 'c')!.matched).toBe(0);
    expect(fed.firstPass!.map((h) => h.id)).toEqual(plain.hits.map((h) => h.id));
  });

  it('leaves a query that found nothing alone', () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    index.add('a', { text: 'wing flow' });
    expect(index.searchWithFeedback('xyzzyplugh', 10, { docs: 10, terms: 10, weight: 0.5 }).hits).toEqual([]);
  });
});

describe('Bm25Index typeahead (prefix and typo matches from the ranking index)', () => {
  const index = new Bm25Index(RANKING_INDEX_OPTIONS);
  index.add('tides', { title: 'Tide tables', text: 'the moon pulls the tides twice a day' });
  index.add('telescope', { title: 'Telescopes', text: 'a refracting telescope bends light' });
  index.add('bread', { text: 'sourdough bread rises overnight' });

  it('expands the word being typed by prefix over the sorted dictionary', () => {
    expect(index.typeahead('ti', 10).hits.map((h) => h.id)).toEqual(['tides']);
    expect(index.typeahead('moon te', 10).hits.map((h) => h.id).sort()).toEqual(['telescope', 'tides']);
    expect(index.typeahead('sourd', 10).hits.map((h) => h.id)).toEqual(['bread']);
  });

  it('tolerates a typo in the dictionary, not in documents', () => {
    expect(index.typeahead('telescpoe', 10).hits.map((h) => h.id)).toEqual(['telescope']);
    expect(index.typeahead('braed', 10).hits.map((h) => h.id)).toEqual(['bread']);
    expect(index.typeahead('xyzzyplugh', 10).hits).toEqual([]);
  });

  it('looks for typos only when the word typed is no word of the dictionary, even once analysed', () => {
    const lakes = new Bm25Index(RANKING_INDEX_OPTIONS);
    lakes.add('a', { text: 'lakes and rivers' }); // stored as "lake"
    lakes.add('b', { text: 'a lakey smell' }); // "lakei": one edit from "lakes"
    expect(lakes.typeahead('lakes', 10).hits.map((h) => h.id)).toEqual(['a']);
    expect(lakes.typeahead('lakez', 10).hits.map((h) => h.id).sort()).toEqual(['a', 'b']);
  });

  it('takes expansions past the most frequent only while their postings fit the budget', () => {
    const index = new Bm25Index({ fields: ['text'] });
    for (let i = 0; i < 6; i++) index.add(`kite${i}`, { text: 'kite' });
    for (let i = 0; i < 3; i++) index.add(`kitten${i}`, { text: 'kitten' });
    index.add('kitchen', { text: 'kitchen' });
    const ids = (budget: number) => new Set(index.typeahead('kit', 20, undefined, 8, budget).hits.map((h) => h.id.replace(/\d+$/, '')));
    expect(ids(100)).toEqual(new Set(['kite', 'kitten', 'kitchen']));
    expect(ids(9)).toEqual(new Set(['kite', 'kitten']));
    expect(ids(1)).toEqual(new Set(['kite']));
  });

  it('sees terms added after the dictionary was sorted', () => {
    index.add('kite', { text: 'a kite on the beach' });
    expect(index.typeahead('kit', 10).hits.map((h) => h.id)).toEqual(['kite']);
  });

  it('counts edits', () => {
    expect(withinEdits('kitten', 'sitten', 1)).toBe(true);
    expect(withinEdits('kitten', 'sitting', 2)).toBe(false);
    expect(withinEdits('abc', 'abd', 0)).toBe(false);
  });
});
