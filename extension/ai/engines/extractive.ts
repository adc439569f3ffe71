import { throwIfAborted } from './errors';
import type { Engine, GenerateOptions, GenerationInput } from './types';

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

export function extractiveAnswer(input: GenerationInput, maxQuotes = MAX_QUOTES): string {
  if (input.sources.length === 0) return 'Nothing you saved matches this question yet.';
  const quotes = input.sources.slice(0, maxQuotes).map((source) => {
    const excerpt = bestExcerpt(source.text, input.question);
    return `“${excerpt}” [${source.n}]`;
  });
  return [EXTRACTIVE_NOTICE, ...quotes].join('\n\n');
}

export class ExtractiveEngine implements Engine {
  readonly id = 'extractive' as const;
  readonly label = 'Quotes from your reading (extractive)';
  readonly local = true;

  async available() {
    return { status: 'available' as const };
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    throwIfAborted(options.signal);
    const answer = extractiveAnswer(input);
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
