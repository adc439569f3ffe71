import type { PromptMessage } from '@shared/schemas/assistant';
import type { Generator, NumberedPassage } from '@shared/serving/types';
import { EngineError, toEngineError } from '@/ai/engines/errors';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { DownloadProgress, Engine, EngineId } from '@/ai/engines/types';
import { askSourceOf } from './passage-of';

/**
 * The pipeline's Generator over the engine the chooser picked, keeping what the chat always did: with
 * nothing to cite (and no leave to answer from the model's knowledge) the extractive engine says so
 * plainly; a generator that fails part-way is explained in words (onFallback, which also clears what
 * had streamed) and the passages are quoted instead; Stop (the signal) aborts and is never a fallback.
 *
 * The extractive engine quotes sources rather than reading a prompt, so the adapter is told the
 * numbered passages the pipeline chose (setSources, from the pipeline's onSources) before it generates.
 */

export interface EngineGeneratorOptions {
  engine: Engine;
  question: string;
  /** The model's name, where the engine knows it ('' otherwise). */
  model: string;
  /** Whether an answer with no sources may still come from the model ("Everything"). */
  allowWithoutSources: boolean;
  onProgress?: (progress: DownloadProgress) => void;
  onFallback?: (error: EngineError) => void;
  /** The messages as sent and the engine they go to, before it generates (a stopped answer is still recorded with them). */
  onPrompt?: (messages: PromptMessage[], used: { id: EngineId; label: string; model: string }) => void;
}

export interface EngineGenerator extends Generator {
  setSources(sources: readonly NumberedPassage[]): void;
  /** The engine that wrote the answer (after a fallback: 'extractive'). */
  readonly used: { id: EngineId; label: string; model: string };
  /** The chosen engine's failure, when the answer fell back to quotes. */
  readonly error: EngineError | null;
}

export function engineGenerator(options: EngineGeneratorOptions): EngineGenerator {
  let sources: NumberedPassage[] = [];
  let used = { id: options.engine.id, label: options.engine.label, model: options.model };
  let failure: EngineError | null = null;
  const extractive = new ExtractiveEngine();

  const generator: EngineGenerator = {
    get id() {
      return used.id;
    },
    get label() {
      return used.label;
    },
    get model() {
      return used.model;
    },
    get used() {
      return used;
    },
    get error() {
      return failure;
    },
    setSources(next) {
      sources = [...next];
    },
    async generate(messages: PromptMessage[], { signal, onToken } = {}) {
      const input = { question: options.question, sources: sources.map(askSourceOf), messages };
      const run = { signal, onToken, onProgress: options.onProgress };
      const engine = sources.length === 0 && !options.allowWithoutSources ? extractive : options.engine;
      used = { id: engine.id, label: engine.label, model: engine === extractive ? '' : options.model };
      options.onPrompt?.(messages, used);
      try {
        return await engine.generate(input, run);
      } catch (raw) {
        const error = toEngineError(raw, engine.label);
        if (error.code === 'aborted' || signal?.aborted) throw error.code === 'aborted' ? error : new EngineError('aborted', 'Stopped.', raw);
        if (engine.id === 'extractive') throw error;
        failure = error;
        options.onFallback?.(error);
        used = { id: extractive.id, label: extractive.label, model: '' };
        return extractive.generate(input, run);
      }
    },
  };
  return generator;
}
