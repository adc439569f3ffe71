import { buildChatPrompt, type ChatTurn } from '@shared/prompts/chat';
import { citedSources } from '@shared/prompts/ask';
import type { AssistantScope, PromptMessage, TemplateRef } from '@shared/schemas/assistant';
import { promptSourceOf } from '@/ai/ask/ask';
import { chooseEngine, type EngineChoice, type EnginePreference } from '@/ai/engines/chooser';
import { EngineError, toEngineError } from '@/ai/engines/errors';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource, DownloadProgress, Engine, EngineId, Privacy } from '@/ai/engines/types';
import { pageSources, type PageContext } from './page-context';

/**
 * One chat answer: the scope's sources (the page's passages, or the hybrid retrieval of memory), the
 * scoped prompt with the conversation so far, the chosen engine's streamed answer. Like ask(), a
 * generator that fails mid-way is explained in words and the passages are quoted instead.
 */

export interface ChatDeps {
  engines: readonly Engine[];
  preferences: () => Promise<{ privacy: Privacy; engine: EnginePreference }>;
  retrieveMemory: (question: string) => Promise<AskSource[]>;
  pageContext: () => Promise<PageContext | null>;
  /** The "Shopping" scope's sources: product memory first (extension/shopping/memory/shopping-sources.ts). */
  retrieveProducts?: (question: string) => Promise<{ sources: AskSource[]; products: number; passages: number }>;
}

export interface ChatCallbacks {
  signal?: AbortSignal;
  onSources?: (sources: AskSource[], searched: string) => void;
  onEngine?: (choice: EngineChoice) => void;
  onToken?: (text: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
  onFallback?: (error: EngineError) => void;
}

export interface ChatAnswer {
  answer: string;
  sources: AskSource[];
  engine: EngineId;
  engineLabel: string;
  model: string;
  template: TemplateRef;
  prompt: PromptMessage[];
  searched: string;
  cited: number[];
  pageUrl: string | null;
  /** The chosen generator's failure, when the answer fell back to quotes. */
  error: EngineError | null;
}

export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeError';
  }
}

async function sourcesFor(scope: AssistantScope, question: string, deps: ChatDeps): Promise<{ sources: AskSource[]; searched: string; page: PageContext | null }> {
  if (scope === 'page') {
    const page = await deps.pageContext();
    if (!page) throw new ScopeError('This tab has no page text to read (a browser page, a PDF viewer or a blank tab). Switch the scope to “My memory”.');
    const sources = pageSources(page, question);
    return { sources, page, searched: `this page (${page.title}): ${sources.length} of its passages` };
  }
  if (scope === 'shopping') {
    if (!deps.retrieveProducts) throw new ScopeError('Product memory is not available here. Switch the scope to “My memory”.');
    const found = await deps.retrieveProducts(question);
    return { sources: found.sources, page: null, searched: `product memory for “${question.slice(0, 120)}”: ${found.products} product${found.products === 1 ? '' : 's'}, then ${found.passages} passage${found.passages === 1 ? '' : 's'} of your reading` };
  }
  const sources = await deps.retrieveMemory(question);
  const what = scope === 'everything' ? 'your memory (then the model’s own knowledge)' : 'your memory';
  return { sources, page: null, searched: `hybrid search (keywords + meaning) of ${what} for “${question.slice(0, 120)}”: ${sources.length} passage${sources.length === 1 ? '' : 's'} found` };
}

export async function answerChat(scope: AssistantScope, question: string, history: readonly ChatTurn[], deps: ChatDeps, callbacks: ChatCallbacks = {}): Promise<ChatAnswer> {
  const { signal } = callbacks;
  const { sources, searched, page } = await sourcesFor(scope, question, deps);
  if (signal?.aborted) throw new EngineError('aborted', 'Stopped.');
  callbacks.onSources?.(sources, searched);
  const prefs = await deps.preferences();
  // "Everything" asks the worker's model when the user allows it; otherwise the best engine here.
  const preference: EnginePreference = scope === 'everything' && prefs.engine === 'auto' ? 'worker' : prefs.engine;
  const choice = await chooseEngine(deps.engines, prefs.privacy, preference);
  if (scope === 'everything' && preference === 'worker' && choice.engine.id !== 'worker') {
    choice.reason = `the worker cannot answer here (${(choice.availability.worker as { reason?: string } | undefined)?.reason ?? 'not allowed by “local only”'}), so ${choice.reason}`;
  }
  callbacks.onEngine?.(choice);
  const prompt = buildChatPrompt(scope, { question, sources: sources.map(promptSourceOf), history, page: page ? { title: page.title, url: page.url } : undefined });
  const input = { question, sources, messages: prompt.messages };
  const options = { signal, onToken: callbacks.onToken, onProgress: callbacks.onProgress };
  // With nothing to cite, only "everything" may answer from the model's knowledge; others say so plainly.
  const engine = sources.length === 0 && scope !== 'everything' ? new ExtractiveEngine() : choice.engine;
  const model = (await (engine as { modelName?: () => Promise<string> }).modelName?.().catch(() => '')) ?? '';
  const base = { sources, template: prompt.template, prompt: prompt.messages, searched, pageUrl: page?.url ?? null };
  try {
    const answer = await engine.generate(input, options);
    return { ...base, answer, engine: engine.id, engineLabel: engine.label, model, cited: citedSources(answer, sources.length), error: null };
  } catch (raw) {
    const error = toEngineError(raw, engine.label);
    if (error.code === 'aborted' || engine.id === 'extractive') throw error;
    callbacks.onFallback?.(error);
    const fallback = new ExtractiveEngine();
    const answer = await fallback.generate(input, options);
    return { ...base, answer, engine: 'extractive', engineLabel: fallback.label, model: '', cited: citedSources(answer, sources.length), error };
  }
}
