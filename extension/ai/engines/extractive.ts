import { EngineError, throwIfAborted } from './errors';
import type { AskSource, Availability, Engine, GenerateOptions, GenerationInput, GenerationTask } from './types';

/**
 * The engine that needs no model: it quotes the best passages, each with its citation, and says that
 * this is what it did. Retrieval already ranked the sources by meaning; here each quote is trimmed to
 * the sentences that share the most words with the question, so a long chunk shows its relevant part.
 */

export const EXTRACTIVE_NOTICE = 'No text generator is available, so this answer is extractive: the most relevant passages from your saved reading, quoted with their sources.';

const MAX_QUOTES = 3;
const MAX_QUOTE_CHARS = 400;

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);

function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'“])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The run of consecutive sentences (within the length cap) sharing the most words with the question. */
export function bestExcerpt(text: string, question: string, maxChars = MAX_QUOTE_CHARS): string {
  const sentences = sentencesOf(text);
  if (sentences.length === 0) return '';
  const q = words(question);
  let best = { score: -1, start: 0, end: 1 };
  for (let start = 0; start < sentences.length; start++) {
    let length = 0;
    let score = 0;
    for (let end = start; end < sentences.length; end++) {
      length += sentences[end]!.length + 1;
      if (length > maxChars && end > start) break;
      for (const w of words(sentences[end]!)) if (q.has(w)) score++;
      // Equal score from the same start: keep the longer run, a quote reads better with its context.
      if (score > best.score || (score === best.score && start === best.start)) best = { score, start, end: end + 1 };
    }
  }
  const quote = sentences.slice(best.start, best.end).join(' ');
  return quote.length > maxChars ? `${quote.slice(0, maxChars - 1).trimEnd()}…` : quote;
}

function overlap(text: string, question: string): number {
  const q = words(question);
  let n = 0;
  for (const w of words(text)) if (q.has(w)) n++;
  return n;
}

/** The sources worth quoting: one per page (a page and a highlight on it, or two chunks of it, are one
 * source to a reader), those that share words with the question first-ranked; at most `max`. */
export function quotableSources(sources: readonly AskSource[], question: string, max = MAX_QUOTES): AskSource[] {
  // One per page, at the page's best rank; a highlight on it stands for it (the passage the user chose).
  const byPage = new Map<string, AskSource>();
  for (const s of sources) {
    if (!s.text.trim()) continue;
    const key = s.url || s.sourceId;
    const kept = byPage.get(key);
    if (!kept) byPage.set(key, s);
    // The highlight's passage is quoted under the page's (better) number: the passage is on that page, and
    // the reader sees one source per page cited by the rank it came in at.
    else if (s.kind === 'highlight' && kept.kind !== 'highlight') byPage.set(key, { ...s, n: Math.min(kept.n, s.n) });
  }
  const unique = [...byPage.values()];
  const answering = unique.filter((s) => overlap(s.text, question) > 0);
  return (answering.length > 0 ? answering : unique).slice(0, max);
}

export function extractiveAnswer(input: GenerationInput, maxQuotes = MAX_QUOTES): string {
  const chosen = quotableSources(input.sources, input.question, maxQuotes);
  if (chosen.length === 0) return 'Nothing you saved matches this question yet.';
  const quotes = chosen.map((source) => {
    const quote = `> “${bestExcerpt(source.text, input.question)}” [${source.n}]`;
    // The note is the user's, not the page's: it follows the quotation, never inside it.
    return source.note ? `${quote}\n\nYour note: ${source.note.replace(/\s+/g, ' ').slice(0, 300)}` : quote;
  });
  return [EXTRACTIVE_NOTICE, ...quotes].join('\n\n');
}

const SUMMARY_SENTENCES = 4;

/**
 * An extractive summary: the sentences that carry the text's most frequent content words, in their
 * original order. Frequency-based centrality (as in Luhn's method) needs no model and no language data.
 */
export function extractiveSummary(text: string, count = SUMMARY_SENTENCES): string {
  const sentences = sentencesOf(text).filter((s) => s.length >= 20 && s.length <= 600);
  if (sentences.length <= count) return sentences.join(' ');
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of words(s)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = sentences.map((s, i) => {
    const ws = [...words(s)];
    const score = ws.reduce((sum, w) => sum + (freq.get(w)! > 1 ? freq.get(w)! : 0), 0) / Math.sqrt(Math.max(ws.length, 1));
    return { i, score };
  });
  const top = scored.sort((a, b) => b.score - a.score || a.i - b.i).slice(0, count).sort((a, b) => a.i - b.i);
  return top.map((t) => sentences[t.i]).join(' ');
}

export const EXTRACTIVE_SUMMARY_NOTICE = 'No text generator is available, so this summary is extractive: the sentences that carry the text’s main words, quoted in order.';

/** Tasks the extractive engine can do without a model. Rewriting needs a generator: it says so. */
const EXTRACTIVE_TASKS = new Set(['ask', 'explain', 'find-references', 'summarize', 'summarize-page']);

export class ExtractiveEngine implements Engine {
  readonly id = 'extractive' as const;
  readonly label = 'Quotes from your reading (extractive)';
  readonly local = true;

  async available(task?: GenerationTask): Promise<Availability> {
    if (task && !EXTRACTIVE_TASKS.has(task.action)) return { status: 'unavailable', reason: 'Rewriting needs a text generator; none is available.' };
    return { status: 'available' };
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    throwIfAborted(options.signal);
    const task = input.task;
    if (task && !EXTRACTIVE_TASKS.has(task.action)) {
      throw new EngineError(
        'unavailable',
        'Rewriting needs a text generator, and none is available: set an OpenAI-compatible endpoint (e.g. Ollama on this machine) in AI settings, or allow the worker.',
      );
    }
    const summarizing = task && (task.action === 'summarize' || task.action === 'summarize-page');
    const answer = summarizing ? `${EXTRACTIVE_SUMMARY_NOTICE}\n\n> ${extractiveSummary(task.text)}` : extractiveAnswer(input);
    // Streamed paragraph by paragraph so every engine looks the same to the UI.
    const parts = answer.split(/(?<=\n\n)/);
    for (const part of parts) {
      throwIfAborted(options.signal);
      options.onToken?.(part);
      await Promise.resolve();
    }
    return answer;
  }
}
