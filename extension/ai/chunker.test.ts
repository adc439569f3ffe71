import { describe, expect, it } from 'vitest';
import { chunkHighlight, chunkPage, chunkText, sentenceSpans } from './chunker';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const sentence = (i: number, n: number) => Array.from({ length: n }, (_, j) => `${j ? "w" : "W"}${i}_${j}`).join(' ') + '.';

describe('chunkText', () => {
  it('keeps short text whole, and returns nothing for blank text', () => {
    expect(chunkText('One sentence. Two sentences.')).toEqual([{ ordinal: 0, text: 'One sentence. Two sentences.', start: 0, end: 28 }]);
    expect(chunkText('   \n ')).toEqual([]);
  });

  it('never exceeds the window, ends at sentence boundaries, and overlaps', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i, 5 + (i % 11))).join(' ');
    const chunks = chunkText(text, { maxWords: 64, overlapWords: 16 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(words(c.text).length).toBeLessThanOrEqual(64);
      expect(c.text.endsWith('.')).toBe(true);
      expect(text.slice(c.start, c.end).replace(/\s+/g, ' ')).toBe(c.text);
    }
    for (let i = 1; i < chunks.length; i++) {
      // The next chunk starts inside the previous one (overlap), and moves forward.
      expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
      expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
    }
    // Every word of the text is in some chunk.
    const covered = new Set(chunks.flatMap((c) => words(c.text)));
    for (const w of words(text)) expect(covered.has(w)).toBe(true);
  });

  it('cuts a sentence longer than the window at word boundaries', () => {
    const text = sentence(0, 150);
    const chunks = chunkText(text, { maxWords: 64, overlapWords: 8 });
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    chunks.forEach((c) => expect(words(c.text).length).toBeLessThanOrEqual(64));
    expect(new Set(chunks.flatMap((c) => words(c.text))).size).toBe(150);
  });

  it('with no overlap, chunks partition the words', () => {
    const text = Array.from({ length: 30 }, (_, i) => sentence(i, 7)).join('\n');
    const chunks = chunkText(text, { maxWords: 20, overlapWords: 0 });
    expect(chunks.flatMap((c) => words(c.text))).toEqual(words(text));
  });

  it('splits at blank lines even without full stops (headings, lists)', () => {
    const spans = sentenceSpans('Heading one\n\nfirst item\n\nsecond item');
    expect(spans.length).toBe(3);
  });
});

describe('source chunks', () => {
  it('page chunks carry stable ids and the title in the first chunk', () => {
    const chunks = chunkPage({ url: 'https://a.org/x', title: 'Sourdough basics', text: sentence(1, 100) });
    expect(chunks[0]!.id).toBe('page:https://a.org/x:0');
    expect(chunks[0]!.text.startsWith('Sourdough basics. ')).toBe(true);
    expect(chunks[1]!.text.startsWith('Sourdough')).toBe(false);
    expect(chunks.every((c) => c.sourceKind === 'page' && c.sourceId === 'https://a.org/x')).toBe(true);
    expect(chunkPage({ url: 'u', title: 'Only a title', text: '' })).toMatchObject([{ text: 'Only a title.' }]);
  });

  it('highlight chunks include the note', () => {
    const [c] = chunkHighlight({ id: 'h12345678', text: 'Knead for ten minutes.', note: 'bread tip' });
    expect(c).toMatchObject({ id: 'highlight:h12345678:0', sourceKind: 'highlight', sourceId: 'h12345678' });
    expect(c!.text).toBe('Knead for ten minutes. bread tip');
  });
});
