import { buildAskPrompt, citedSources, type PromptSource } from '@shared/prompts/ask';
import { chooseEngine, type EngineChoice, type EnginePreference } from '../engines/chooser';
import { EngineError, toEngineError } from '../engines/errors';
import { ExtractiveEngine } from '../engines/extractive';
import type { AskSource, DownloadProgress, Engine, Privacy } from '../engines/types';

/**
 * Ask your memory: question → hybrid retrieval → numbered sources → the chosen engine's streamed
 * answer citing them as [n]. If a generator fails (model won't load, out of memory, quota), the error
 * is kept in words and the passages are quoted instead, so a question never ends with nothing.
 */

export interface AskDeps {
  retrieve: (question: string) => Promise<AskSource[]>;
  engines: readonly Engine[];
  preferences: () => Promise<{ privacy: Privacy; engine: EnginePreference }>;
}

export interface AskCallbacks {
  signal?: AbortSignal;
  onSources?: (sources: AskSource[]) => void;
  onEngine?: (choice: EngineChoice) => void;
  onToken?: (text: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
  /** The generator failed and the answer switches to quoting: the UI clears what streamed so far. */
  onFallback?: (error: EngineError) => void;
}

export interface AskResult {
  answer: string;
  sources: AskSource[];
  /** Which engine wrote the answer (after a fallback: 'extractive'). */
  engine: Engine['id'];
  /** Source numbers the answer cites, in first-use order. */
  cited: number[];
  /** What went wrong with the chosen engine, if anything (the answer is then extractive). */
  error: EngineError | null;
}

/** A source as a prompt sees it: the user's note follows the passage, marked as theirs. */
export function promptSourceOf(s: AskSource): PromptSource {
  return { title: s.title, url: s.url, text: s.note ? `${s.text}\n\n(The user's own note on this: ${s.note})` : s.text };
}

export async function ask(question: string, deps: AskDeps, callbacks: AskCallbacks = {}): Promise<AskResult> {
  const { signal } = callbacks;
  const sources = await deps.retrieve(question);
  if (signal?.aborted) throw new EngineError('aborted', 'Stopped.');
  callbacks.onSources?.(sources);
  const prefs = await deps.preferences();
  const choice = await chooseEngine(deps.engines, prefs.privacy, prefs.engine);
  callbacks.onEngine?.(choice);
  const input = { question, sources, messages: buildAskPrompt(question, sources.map(promptSourceOf)) };
  const options = { signal, onToken: callbacks.onToken, onProgress: callbacks.onProgress };
  // With nothing retrieved a generator could only guess; the extractive engine says so plainly.
  const engine = sources.length === 0 ? new ExtractiveEngine() : choice.engine;
  try {
    const answer = await engine.generate(input, options);
    return { answer, sources, engine: engine.id, cited: citedSources(answer, sources.length), error: null };
  } catch (raw) {
    const error = toEngineError(raw, engine.label);
    if (error.code === 'aborted' || engine.id === 'extractive') throw error;
    callbacks.onFallback?.(error);
    const answer = await new ExtractiveEngine().generate(input, options);
    return { answer, sources, engine: 'extractive', cited: citedSources(answer, sources.length), error };
  }
}

/** Splits an answer into text and [n] citation parts for rendering (never as HTML). */
export function answerParts(answer: string, sourceCount: number): ({ text: string } | { cite: number })[] {
  const parts: ({ text: string } | { cite: number })[] = [];
  let last = 0;
  for (const m of answer.matchAll(/\[(\d{1,3})\]/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > sourceCount) continue;
    if (m.index > last) parts.push({ text: answer.slice(last, m.index) });
    parts.push({ cite: n });
    last = m.index + m[0].length;
  }
  if (last < answer.length) parts.push({ text: answer.slice(last) });
  return parts;
}
