import type { ChatTurn } from '@shared/prompts/chat';
import { citedSources } from '@shared/prompts/ask';
import { groundedTemplateOf } from '@shared/prompts/grounded';
import type { AssistantScope, CitedSource, PromptMessage, TemplateRef } from '@shared/schemas/assistant';
import type { AnswerTrace, NumberedPassage, Plan, Retriever, RetrievalOutcome, RunPipeline, SourceOrigin, TraceStep, Verification } from '@shared/serving/types';
import { chooseEngine, type EngineChoice, type EnginePreference } from '@/ai/engines/chooser';
import { EngineError } from '@/ai/engines/errors';
import type { AskSource, DownloadProgress, Engine, EngineId, Privacy } from '@/ai/engines/types';
import { engineGenerator } from '@/assistant/grounding/engine-generator';
import { memoryRetriever } from '@/assistant/grounding/memory-retriever';
import { pageRetriever } from '@/assistant/grounding/page-retriever';
import { productsRetriever, type RetrieveProducts } from '@/assistant/grounding/products-retriever';
import { citedSourceOf } from '@/assistant/grounding/passage-of';
import type { WebAccess } from '@/assistant/grounding/web-access';
import { webRetriever } from '@/assistant/grounding/web-retriever';
import type { PageContext } from './page-context';

/**
 * One chat answer, for every scope, through the serving pipeline (shared/serving): plan → retrieve
 * from the scope's sources in parallel → aggregate → generate with the chosen engine → verify each
 * cited sentence. What a scope reads is one entry of SCOPE_SOURCES; the generator is the chooser's
 * engine behind engine-generator.ts, which keeps the fallback to quotes when it fails part-way.
 * The trace and the verification come back with the answer, to be stored with it.
 */

export interface ChatDeps {
  engines: readonly Engine[];
  preferences: () => Promise<{ privacy: Privacy; engine: EnginePreference }>;
  retrieveMemory: (question: string) => Promise<AskSource[]>;
  pageContext: () => Promise<PageContext | null>;
  /** The worker's web search, when this device is paired and allowed to use it. */
  webAccess: () => Promise<WebAccess>;
  runPipeline: RunPipeline;
  /** The "Shopping" scope's sources: product memory first (extension/shopping/memory/shopping-sources.ts). */
  retrieveProducts?: RetrieveProducts;
  /** The verifier's meaning check (the on-device embedder, grounding/verifier-embed.ts); absent → words only. */
  embed?: (texts: string[]) => Promise<Float32Array[]>;
}

export interface ChatCallbacks {
  signal?: AbortSignal;
  onSources?: (sources: CitedSource[], searched: string) => void;
  onEngine?: (choice: EngineChoice) => void;
  onToken?: (text: string) => void;
  onProgress?: (progress: DownloadProgress) => void;
  onFallback?: (error: EngineError) => void;
  onPlan?: (plan: Plan) => void;
  onStep?: (step: TraceStep) => void;
  /** The prompt as sent, before generating: a stopped answer is still recorded with it. */
  onPrompt?: (sent: Pick<ChatAnswer, 'prompt' | 'template' | 'engine' | 'model' | 'pageUrl'>) => void;
}

export interface ChatAnswer {
  answer: string;
  /** The numbered sources the answer could cite, as stored with it. */
  sources: CitedSource[];
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
  trace: AnswerTrace;
  verification: Verification;
}

export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeError';
  }
}

/** What a scope reads: its retrievers, the page it is about, and sources it could not use (with why). */
export interface ScopeSources {
  retrievers: Retriever[];
  page: PageContext | null;
  skipped: { origin: SourceOrigin; label: string; reason: string }[];
}

export type ScopeSourcesOf = (deps: ChatDeps) => Promise<ScopeSources>;

const memoryOnly: ScopeSourcesOf = async (deps) => ({ retrievers: [memoryRetriever(deps.retrieveMemory)], page: null, skipped: [] });

/** One entry per scope: a new scope (Shopping's product memory) is one more function here. */
export const SCOPE_SOURCES: Record<AssistantScope, ScopeSourcesOf> = {
  page: async (deps) => {
    const page = await deps.pageContext();
    if (!page) throw new ScopeError('This tab has no page text to read (a browser page, a PDF viewer or a blank tab). Switch the scope to “My memory”.');
    return { retrievers: [pageRetriever(page)], page, skipped: [] };
  },
  memory: memoryOnly,
  everything: async (deps) => {
    const web = await deps.webAccess();
    const retrievers = [memoryRetriever(deps.retrieveMemory)];
    if (web.search) retrievers.push(webRetriever(web.search));
    return { retrievers, page: null, skipped: web.search ? [] : [{ origin: 'web', label: 'web search through your worker', reason: web.reason }] };
  },
  shopping: async (deps) => {
    if (!deps.retrieveProducts) throw new ScopeError('Product memory is not available here. Switch the scope to “My memory”.');
    return { retrievers: [productsRetriever(deps.retrieveProducts)], page: null, skipped: [] };
  },
};

/** Characters of sources a model's prompt can hold (the aggregate stage cuts to it). */
const CONTEXT_CHARS: Partial<Record<EngineId, number>> = { 'built-in': 6_000, webllm: 6_000 };
const DEFAULT_CONTEXT_CHARS = 11_000;

/** "What it searched", in words, from the per-source outcomes. */
export function searchedOf(retrievals: readonly RetrievalOutcome[], question: string): string {
  const parts = retrievals.map((r) => {
    if (r.status === 'ok') return `${r.label}: ${r.count} passage${r.count === 1 ? '' : 's'}`;
    if (r.status === 'timeout') return `${r.label}: timed out after ${Math.round(r.ms)} ms`;
    return `${r.label}: ${r.status === 'skipped' ? 'not searched' : 'failed'}${r.detail ? ` (${r.detail})` : ''}`;
  });
  return `${parts.join('; ')} — for “${question.slice(0, 120)}”`.slice(0, 1000);
}

/** The trace with what the chat knows and the pipeline does not: the engine that really answered, and
 * the sources the scope could not use. */
function completeTrace(trace: AnswerTrace, used: { id: string; model: string }, skipped: ScopeSources['skipped']): AnswerTrace {
  const listed = new Set(trace.retrievals.map((r) => r.origin));
  const extra: RetrievalOutcome[] = skipped.filter((s) => !listed.has(s.origin)).map((s) => ({ origin: s.origin, label: s.label, status: 'skipped', count: 0, ms: 0, detail: s.reason.slice(0, 500) }));
  const why = skipped.map((s) => `${s.label} was not used: ${s.reason}`).join('; ');
  return {
    ...trace,
    engine: used.id,
    model: used.model.slice(0, 128),
    retrievals: [...trace.retrievals, ...extra],
    plan: why && !trace.plan.reason.includes(why) ? { ...trace.plan, reason: `${trace.plan.reason ? `${trace.plan.reason}. ` : ''}${why}`.slice(0, 1000) } : trace.plan,
  };
}

export async function answerChat(scope: AssistantScope, question: string, history: readonly ChatTurn[], deps: ChatDeps, callbacks: ChatCallbacks = {}): Promise<ChatAnswer> {
  return answerGrounded(scope, await SCOPE_SOURCES[scope](deps), question, history, deps, callbacks);
}

/** What a grounded answer needs besides its sources: the engines and settings, the pipeline, the embedder. */
export type GroundedDeps = Pick<ChatDeps, 'engines' | 'preferences' | 'runPipeline' | 'embed'>;

/**
 * One answer through the pipeline over sources already chosen: the chat's scopes (answerChat), the
 * side panel's Ask and the answer bubble's question about a selection (ask-grounded.ts) all end here.
 */
export async function answerGrounded(scope: AssistantScope, { retrievers, page, skipped }: ScopeSources, question: string, history: readonly ChatTurn[], deps: GroundedDeps, callbacks: ChatCallbacks = {}): Promise<ChatAnswer> {
  const { signal } = callbacks;
  const prefs = await deps.preferences();
  // "Everything" asks the worker's model when the user allows it; otherwise the best engine here.
  const preference: EnginePreference = scope === 'everything' && prefs.engine === 'auto' ? 'worker' : prefs.engine;
  const choice = await chooseEngine(deps.engines, prefs.privacy, preference);
  if (scope === 'everything' && preference === 'worker' && choice.engine.id !== 'worker') {
    choice.reason = `the worker cannot answer here (${(choice.availability.worker as { reason?: string } | undefined)?.reason ?? 'not allowed by “local only”'}), so ${choice.reason}`;
  }
  callbacks.onEngine?.(choice);
  const model = (await (choice.engine as { modelName?: () => Promise<string> }).modelName?.().catch(() => '')) ?? '';
  const generator = engineGenerator({
    engine: choice.engine,
    question,
    model,
    // With nothing to cite, only "everything" may answer from the model's knowledge; others say so plainly.
    allowWithoutSources: scope === 'everything',
    onProgress: callbacks.onProgress,
    onFallback: callbacks.onFallback,
    onPrompt: (prompt, used) => callbacks.onPrompt?.({ prompt, template: groundedTemplateOf(scope), engine: used.id, model: used.model, pageUrl: page?.url ?? null }),
  });

  const run = deps.runPipeline(
    { question, scope, history, contextChars: CONTEXT_CHARS[choice.engine.id] ?? DEFAULT_CONTEXT_CHARS },
    { retrievers, generator, helper: null, ...(deps.embed ? { embed: deps.embed } : {}) },
    {
      signal,
      onPlan: callbacks.onPlan,
      onStep: callbacks.onStep,
      onToken: callbacks.onToken,
      onSources: (numbered: NumberedPassage[], retrievals) => {
        generator.setSources(numbered);
        callbacks.onSources?.(numbered.map(citedSourceOf), searchedOf(retrievals, question));
      },
    },
  );
  // Stop surfaces as the engines' own error, whichever stage it interrupted.
  const result = await run.catch((error: unknown) => {
    throw signal?.aborted && !(error instanceof EngineError && error.code === 'aborted') ? new EngineError('aborted', 'Stopped.', error) : error;
  });
  const sources = result.sources.map(citedSourceOf);
  const trace = completeTrace(result.trace, generator.used, skipped);
  return {
    answer: result.answer,
    sources,
    engine: generator.used.id,
    engineLabel: generator.used.label,
    model: generator.used.model,
    template: trace.template,
    prompt: result.prompt,
    searched: searchedOf(trace.retrievals, question),
    cited: citedSources(result.answer, sources.length),
    pageUrl: page?.url ?? null,
    error: generator.error,
    trace,
    verification: result.verification,
  };
}
