import { describe, expect, it } from 'vitest';
import { aggregate, bestPart, MAX_SOURCES } from './aggregate';
import { normaliseUrl } from './normalise-url';
import { passage } from './test-support';
import { contentWords } from './words';

const article =
  'Octopuses solve puzzles and open screw-top jars. Two thirds of an octopus’s neurons sit in its arms, so each arm can taste and touch on its own. Researchers found that the common octopus learns by watching another octopus.';

describe('normaliseUrl', () => {
  it('treats scheme, www, fragments, tracking parameters and trailing slashes as the same page', () => {
    expect(normaliseUrl('https://www.Example.com/a/b/?utm_source=x&b=2&a=1#top')).toBe(normaliseUrl('http://example.com/a/b?a=1&b=2'));
    expect(normaliseUrl('https://example.com/a/index.html')).toBe(normaliseUrl('https://example.com/a'));
    expect(normaliseUrl('https://example.com/a?id=1')).not.toBe(normaliseUrl('https://example.com/a?id=2'));
    expect(normaliseUrl('kindle://book/123')).toBe('kindle://book/123');
  });
});

describe('aggregate', () => {
  it('folds the same article from page, highlight and web into one source keeping the highlight’s id and note', () => {
    const page = [passage('page', 'p1', article, { url: 'https://example.com/octopus#intro' })];
    const memory = [passage('memory', 'h1', 'Two thirds of an octopus’s neurons sit in its arms', { url: 'https://example.com/octopus', highlightId: 'hl_9', note: 'remember this', sourceId: 'hl_9' })];
    const web = [passage('web', 'w1', article, { url: 'https://www.example.com/octopus?utm_medium=rss' }), passage('web', 'w2', 'Cuttlefish change colour with chromatophores controlled by nerves.', { url: 'https://other.org/c' })];
    const { sources, retrieved, unique } = aggregate([page, memory, web], 10_000);
    expect(retrieved).toBe(4);
    expect(unique).toBe(2);
    expect(sources[0]).toMatchObject({ n: 1, origin: 'memory', highlightId: 'hl_9', note: 'remember this', sourceId: 'hl_9', kind: 'highlight' });
    expect(sources[0]!.alsoFrom?.sort()).toEqual(['page', 'web']);
    // The longer text of the near-duplicates is kept: it holds more an answer can cite.
    expect(sources[0]!.text).toContain('learns by watching');
    expect(sources[1]).toMatchObject({ n: 2, origin: 'web', url: 'https://other.org/c' });
  });

  it('keeps two different chunks of one page from the same origin as two sources', () => {
    const page = [passage('page', 'a', 'Octopuses solve puzzles and open jars.', { url: 'https://e.com/x' }), passage('page', 'b', 'Cuttlefish use chromatophores to change colour quickly.', { url: 'https://e.com/x' })];
    expect(aggregate([page], 10_000).sources).toHaveLength(2);
  });

  it('fuses by reciprocal rank: found by two origins beats first in one', () => {
    const memory = [passage('memory', 'm1', 'Alpha beta gamma delta epsilon facts.', { score: 9 }), passage('memory', 'm2', 'Zeta eta theta iota kappa facts here.', { score: 1, url: 'https://s.com/z' })];
    const web = [passage('web', 'w1', 'Zeta eta theta iota kappa facts here.', { score: 5, url: 'https://s.com/z' })];
    const { sources } = aggregate([memory, web], 10_000);
    expect(sources[0]!.text).toContain('Zeta');
  });

  it('cuts to the context budget and to at most MAX_SOURCES, numbering from 1', () => {
    const many = Array.from({ length: 40 }, (_, i) => passage('memory', `m${i}`, `Unique passage number ${i} about topic${i} with words${i} and more${i} filler${i}.`, { url: `https://e.com/${i}`, score: 40 - i }));
    expect(aggregate([many], 1_000_000).sources).toHaveLength(MAX_SOURCES);
    const small = aggregate([many], 600).sources;
    expect(small.length).toBeLessThan(MAX_SOURCES);
    expect(small.reduce((n, s) => n + s.text.length, 0)).toBeLessThanOrEqual(600);
    expect(small.map((s) => s.n)).toEqual(small.map((_, i) => i + 1));
  });

  it('cuts a long page to the part the query is about', () => {
    const filler = Array.from({ length: 60 }, (_, i) => `Filler sentence ${i} talks about gardening and weather.`).join(' ');
    const text = `${filler} The octopus hides in a den of rocks during the day. ${filler}`;
    const part = bestPart(text, new Set(contentWords('where does the octopus hide')), 400);
    expect(part).toContain('octopus hides');
    expect(part.length).toBeLessThanOrEqual(402);
  });
});
