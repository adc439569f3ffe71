/// <reference types="dom-chromium-ai" />
import { languageOf, toneOf } from '@shared/prompts/actions';
import type { Availability, DownloadProgress, GenerationTask } from './types';

/**
 * Chrome's task APIs (Summarizer, Rewriter, Proofreader, Translator): each is a small on-device model
 * tuned for one job, better and cheaper at it than a general prompt. Each is feature-detected on its
 * own (they ship separately, behind different flags and Chrome versions); an action with no matching
 * API — or whose API says 'unavailable' — goes through the Prompt API with the shared prompt instead.
 */

export interface TaskApis {
  Summarizer?: typeof Summarizer;
  Rewriter?: typeof Rewriter;
  Proofreader?: typeof Proofreader;
  Translator?: typeof Translator;
  LanguageDetector?: typeof LanguageDetector;
}

export function findTaskApis(scope: unknown = globalThis): TaskApis {
  const g = scope as Record<string, unknown>;
  const pick = <T>(name: string): T | undefined => {
    const api = g[name] as { create?: unknown; availability?: unknown } | undefined;
    return api && typeof api.create === 'function' && typeof api.availability === 'function' ? (api as T) : undefined;
  };
  return {
    Summarizer: pick('Summarizer'),
    Rewriter: pick('Rewriter'),
    Proofreader: pick('Proofreader'),
    Translator: pick('Translator'),
    LanguageDetector: pick('LanguageDetector'),
  };
}

export interface TaskRunOptions {
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
}

/** One native way to do one task: its availability and how to run it. */
export interface NativeTask {
  api: 'Summarizer' | 'Rewriter' | 'Proofreader' | 'Translator';
  availability(): Promise<Availability>;
  run(options: TaskRunOptions): Promise<string>;
}

function toAvailability(state: string, api: string): Availability {
  if (state === 'available') return { status: 'available' };
  if (state === 'downloadable' || state === 'downloading') return { status: 'downloadable', detail: `Chrome downloads the ${api} model on first use.` };
  return { status: 'unavailable', reason: `Chrome’s ${api} cannot run on this device.` };
}

function monitor(api: string, options: TaskRunOptions) {
  return (m: CreateMonitor) =>
    m.addEventListener('downloadprogress', (e) => {
      const loaded = (e as ProgressEvent).loaded;
      options.onProgress?.({ fraction: loaded, text: `Downloading Chrome’s ${api} model… ${Math.round(loaded * 100)}%` });
    });
}

/** Reads a task API's stream, accepting both delta chunks (current Chrome) and whole-so-far chunks. */
async function drain(stream: ReadableStream<string>, onToken?: (text: string) => void): Promise<string> {
  const reader = stream.getReader();
  let out = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    const piece = out.length > 0 && value.startsWith(out) ? value.slice(out.length) : value;
    out += piece;
    if (piece) onToken?.(piece);
  }
}

const REWRITE_OPTIONS: Partial<Record<string, RewriterCreateCoreOptions>> = {
  improve: { tone: 'as-is', length: 'as-is', format: 'as-is' },
  'tone:formal': { tone: 'more-formal', length: 'as-is', format: 'as-is' },
  'tone:friendly': { tone: 'more-casual', length: 'as-is', format: 'as-is' },
  'tone:concise': { tone: 'as-is', length: 'shorter', format: 'as-is' },
};

async function detectLanguage(apis: TaskApis, text: string, signal?: AbortSignal): Promise<string> {
  if (!apis.LanguageDetector) return 'en';
  try {
    const detector = await apis.LanguageDetector.create({ signal });
    try {
      const [best] = await detector.detect(text.slice(0, 2000), { signal });
      return best?.detectedLanguage && best.detectedLanguage !== 'und' ? best.detectedLanguage : 'en';
    } finally {
      detector.destroy();
    }
  } catch {
    return 'en';
  }
}

/** The native API for a task, or null when Chrome has none for it (or this browser lacks that API). */
export function nativeTask(task: GenerationTask, apis: TaskApis): NativeTask | null {
  const { action, text } = task;
  if ((action === 'summarize' || action === 'summarize-page') && apis.Summarizer) {
    const api = apis.Summarizer;
    const core: SummarizerCreateCoreOptions = { type: action === 'summarize-page' ? 'key-points' : 'tldr', format: 'markdown', length: 'medium' };
    return {
      api: 'Summarizer',
      availability: async () => toAvailability(await api.availability(core), 'Summarizer'),
      run: async (o) => {
        const s = await api.create({ ...core, signal: o.signal, monitor: monitor('Summarizer', o) });
        try {
          return await drain(s.summarizeStreaming(text, { signal: o.signal }), o.onToken);
        } finally {
          s.destroy();
        }
      },
    };
  }
  const rewriteKey = action === 'tone' ? `tone:${toneOf(task.option)}` : action;
  const rewrite = REWRITE_OPTIONS[rewriteKey];
  if (rewrite && apis.Rewriter) {
    const api = apis.Rewriter;
    return {
      api: 'Rewriter',
      availability: async () => toAvailability(await api.availability(rewrite), 'Rewriter'),
      run: async (o) => {
        const r = await api.create({ ...rewrite, signal: o.signal, monitor: monitor('Rewriter', o) });
        try {
          return await drain(r.rewriteStreaming(text, { signal: o.signal }), o.onToken);
        } finally {
          r.destroy();
        }
      },
    };
  }
  if (action === 'proofread' && apis.Proofreader) {
    const api = apis.Proofreader;
    return {
      api: 'Proofreader',
      availability: async () => toAvailability(await api.availability({}), 'Proofreader'),
      run: async (o) => {
        const p = await api.create({ signal: o.signal, monitor: monitor('Proofreader', o) });
        try {
          const result = await p.proofread(text, { signal: o.signal });
          o.onToken?.(result.correctedInput);
          return result.correctedInput;
        } finally {
          p.destroy();
        }
      },
    };
  }
  if (action === 'translate' && apis.Translator) {
    const api = apis.Translator;
    const target = languageOf(task.option).code;
    return {
      api: 'Translator',
      // The source language is only known at run time; English is the usual source and a fair probe.
      availability: async () => toAvailability(await api.availability({ sourceLanguage: target === 'en' ? 'de' : 'en', targetLanguage: target }), 'Translator'),
      run: async (o) => {
        const source = await detectLanguage(apis, text, o.signal);
        if (source === target) {
          o.onToken?.(text);
          return text;
        }
        const t = await api.create({ sourceLanguage: source, targetLanguage: target, signal: o.signal, monitor: monitor('Translator', o) });
        try {
          return await drain(t.translateStreaming(text, { signal: o.signal }), o.onToken);
        } finally {
          t.destroy();
        }
      },
    };
  }
  return null;
}
