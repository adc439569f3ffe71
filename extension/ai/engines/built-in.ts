import { EngineError, throwIfAborted, toEngineError } from './errors';
import { findTaskApis, nativeTask, type TaskApis } from './chrome-tasks';
import type { Availability, ChatMessage, Engine, GenerateOptions, GenerationInput, GenerationTask } from './types';

/**
 * Chrome's built-in Prompt API (the `LanguageModel` global, Gemini Nano on the device). Only the
 * surface this engine uses is typed here: the API is young and its typings are not in @types/chrome.
 */

interface LanguageModelSession {
  promptStreaming(input: string, options?: { signal?: AbortSignal }): ReadableStream<string>;
  destroy(): void;
}
interface LanguageModelMonitor {
  addEventListener(type: 'downloadprogress', listener: (event: { loaded: number }) => void): void;
}
export interface LanguageModelApi {
  availability(options?: object): Promise<'unavailable' | 'downloadable' | 'downloading' | 'available'>;
  create(options?: {
    initialPrompts?: ChatMessage[];
    signal?: AbortSignal;
    monitor?: (m: LanguageModelMonitor) => void;
    expectedInputs?: { type: 'text'; languages?: string[] }[];
    expectedOutputs?: { type: 'text'; languages?: string[] }[];
  }): Promise<LanguageModelSession>;
}

const LANGUAGE_OPTIONS = {
  expectedInputs: [{ type: 'text' as const, languages: ['en'] }],
  expectedOutputs: [{ type: 'text' as const, languages: ['en'] }],
};

export function findLanguageModel(scope: unknown = globalThis): LanguageModelApi | undefined {
  const api = (scope as { LanguageModel?: LanguageModelApi }).LanguageModel;
  return api && typeof api.availability === 'function' && typeof api.create === 'function' ? api : undefined;
}

export class BuiltInEngine implements Engine {
  readonly id = 'built-in' as const;
  readonly label = 'Chrome’s built-in model';
  readonly local = true;

  constructor(
    private readonly api: LanguageModelApi | undefined = findLanguageModel(),
    private readonly taskApis: TaskApis = findTaskApis(),
  ) {}

  /** With a task: available when Chrome has a native API for it that can run, or else the Prompt API. */
  async available(task?: GenerationTask): Promise<Availability> {
    const native = task ? nativeTask(task, this.taskApis) : null;
    if (native) {
      const state = await native.availability().catch((error: unknown) => ({ status: 'unavailable' as const, reason: String(error) }));
      if (state.status !== 'unavailable') return state;
    }
    return this.promptAvailability();
  }

  /** Which native API a task would use here, for "answered by" labels; null means the Prompt API. */
  async taskApiFor(task: GenerationTask): Promise<string | null> {
    const native = nativeTask(task, this.taskApis);
    if (!native) return null;
    const state = await native.availability().catch(() => ({ status: 'unavailable' as const }));
    return state.status === 'unavailable' ? null : native.api;
  }

  private async promptAvailability(): Promise<Availability> {
    if (!this.api) return { status: 'unavailable', reason: 'This browser has no built-in Prompt API.' };
    try {
      const state = await this.api.availability(LANGUAGE_OPTIONS);
      if (state === 'available') return { status: 'available' };
      if (state === 'downloadable' || state === 'downloading') return { status: 'downloadable', detail: 'Chrome downloads Gemini Nano on first use.' };
      return { status: 'unavailable', reason: 'Chrome says its built-in model cannot run on this device.' };
    } catch (error) {
      return { status: 'unavailable', reason: toEngineError(error, this.label, 'load').message };
    }
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    throwIfAborted(options.signal);
    if (input.task && (await this.taskApiFor(input.task))) {
      try {
        return await nativeTask(input.task, this.taskApis)!.run(options);
      } catch (error) {
        throw toEngineError(error, this.label);
      }
    }
    if (!this.api) throw new EngineError('unavailable', 'This browser has no built-in Prompt API.');
    throwIfAborted(options.signal);
    const system = input.messages.filter((m) => m.role !== 'user' || m !== input.messages.at(-1));
    const last = input.messages.at(-1);
    let session: LanguageModelSession;
    try {
      session = await this.api.create({
        ...LANGUAGE_OPTIONS,
        initialPrompts: system,
        signal: options.signal,
        monitor: (m) =>
          m.addEventListener('downloadprogress', (e) => options.onProgress?.({ fraction: e.loaded, text: `Downloading Chrome’s model… ${Math.round(e.loaded * 100)}%` })),
      });
    } catch (error) {
      throw toEngineError(error, this.label, 'load');
    }
    let answer = '';
    try {
      const reader = session.promptStreaming(last?.content ?? input.question, { signal: options.signal }).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        // Early Chrome versions streamed the whole answer so far; current ones stream deltas.
        const piece = value.startsWith(answer) && answer.length > 0 ? value.slice(answer.length) : value;
        answer += piece;
        if (piece) options.onToken?.(piece);
      }
      return answer;
    } catch (error) {
      throw toEngineError(error, this.label);
    } finally {
      session.destroy();
    }
  }
}
