/**
 * Splits page text and highlights into passages that fit the embedding model's window.
 *
 * USE-lite reads 128 tokens and English runs at ~1.5–1.6 tokens per word, so the default is 64 words
 * with 16 words of overlap. Chunks end at sentence boundaries where they can (a passage that stops
 * mid-sentence embeds worse); a single sentence longer than the window is cut at word boundaries.
 * Each chunk keeps its character range in the source so a hit can be shown and scrolled to.
 */

export interface ChunkOptions {
  /** Most words per chunk. */
  maxWords?: number;
  /** Words repeated from the end of one chunk at the start of the next. */
  overlapWords?: number;
}

export interface TextChunk {
  ordinal: number;
  text: string;
  /** Character range [start, end) in the source text. */
  start: number;
  end: number;
}

interface Span {
  start: number;
  end: number;
}

const DEFAULTS = { maxWords: 64, overlapWords: 16 };

const segmenter: Intl.Segmenter | undefined =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter('en', { granularity: 'sentence' }) : undefined;

/** Sentence ranges of `text` (Intl.Segmenter where present; a punctuation rule otherwise). */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (segmenter) {
    for (const s of segmenter.segment(text)) spans.push({ start: s.index, end: s.index + s.segment.length });
  } else {
    const re = /[^.!?\n]*(?:[.!?]+["')\]]*|\n+|$)\s*/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && m[0].length) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  // Blank lines separate headings, list items and paragraphs that carry no full stop: split there too.
  return spans.flatMap((s) => {
    const out: Span[] = [];
    let from = s.start;
    const para = /\n\s*\n/g;
    para.lastIndex = 0;
    const slice = text.slice(s.start, s.end);
    let m: RegExpExecArray | null;
    while ((m = para.exec(slice))) {
      const cut = s.start + m.index + m[0].length;
      out.push({ start: from, end: cut });
      from = cut;
    }
    out.push({ start: from, end: s.end });
    return out;
  }).filter((s) => /\S/.test(text.slice(s.start, s.end)));
}

/** Word ranges [start, end) of every word in text[from, to). */
function wordSpans(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m.index < to) out.push({ start: m.index, end: Math.min(to, m.index + m[0].length) });
  return out;
}

export function chunkText(text: string, options: ChunkOptions = {}): TextChunk[] {
  const maxWords = Math.max(1, options.maxWords ?? DEFAULTS.maxWords);
  const overlapWords = Math.max(0, Math.min(maxWords - 1, options.overlapWords ?? DEFAULTS.overlapWords));

  // Each sentence as its words; sentences longer than the window become several pieces.
  const sentences: Span[][] = [];
  for (const s of sentenceSpans(text)) {
    const words = wordSpans(text, s.start, s.end);
    for (let i = 0; i < words.length; i += maxWords) sentences.push(words.slice(i, i + maxWords));
  }

  const chunks: TextChunk[] = [];
  let current: Span[] = [];
  // How many leading words of `current` were carried over from the previous chunk.
  let carried = 0;
  // Index in `current` where each of its sentences starts.
  let lastSentenceStarts: number[] = [];
  const flush = () => {
    if (current.length <= carried) return;
    const start = current[0]!.start;
    const end = current[current.length - 1]!.end;
    chunks.push({ ordinal: chunks.length, text: text.slice(start, end).replace(/\s+/g, ' '), start, end });
    // Carry the last whole sentences that fit in overlapWords (or, if the last sentence alone is longer,
    // its last overlapWords words) so the next chunk starts with context.
    let take = 0;
    for (let i = lastSentenceStarts.length - 1; i >= 0; i--) {
      const len = current.length - lastSentenceStarts[i]!;
      if (len > overlapWords) break;
      take = len;
    }
    if (take === 0) take = Math.min(overlapWords, current.length);
    current = current.slice(current.length - take);
    carried = current.length;
    lastSentenceStarts = [0];
  };
  for (const words of sentences) {
    if (current.length + words.length > maxWords) {
      flush();
      // Trim the carried tail so the sentence fits whole.
      const room = Math.max(0, maxWords - words.length);
      if (current.length > room) {
        current = current.slice(current.length - room);
        carried = current.length;
      }
    }
    lastSentenceStarts.push(current.length);
    current.push(...words);
  }
  flush();
  return chunks;
}

export type SourceKind = 'page' | 'highlight';

export interface SourceChunk extends TextChunk {
  /** Stable per source and position: `${sourceKind}:${sourceId}:${ordinal}`. */
  id: string;
  sourceKind: SourceKind;
  sourceId: string;
}

/** Chunks of a page: the title leads the first chunk so a short page is still findable by its topic. */
export function chunkPage(page: { url: string; title?: string; text: string }, options?: ChunkOptions): SourceChunk[] {
  const title = (page.title ?? '').trim();
  const chunks = chunkText(page.text, options);
  if (chunks.length === 0 && title) chunks.push({ ordinal: 0, text: '', start: 0, end: 0 });
  return chunks.map((c) => ({
    ...c,
    text: c.ordinal === 0 && title ? `${title}. ${c.text}`.trim() : c.text,
    id: `page:${page.url}:${c.ordinal}`,
    sourceKind: 'page' as const,
    sourceId: page.url,
  }));
}

/** Chunks of a highlight: its text, then its note (a user's note is often the best description). */
export function chunkHighlight(h: { id: string; text: string; note?: string }, options?: ChunkOptions): SourceChunk[] {
  const note = (h.note ?? '').trim();
  const body = note ? `${h.text.trim()}\n\n${note}` : h.text.trim();
  return chunkText(body, options).map((c) => ({
    ...c,
    id: `highlight:${h.id}:${c.ordinal}`,
    sourceKind: 'highlight' as const,
    sourceId: h.id,
  }));
}
