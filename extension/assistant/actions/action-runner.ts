import type { CitedSource, Feedback } from '@shared/schemas/assistant';
import type { ActionRequest, RunnerEvent } from '@shared/schemas/assistant-page';
import { chooseEngine, type EnginePreference } from '@/ai/engines/chooser';
import { toEngineError } from '@/ai/engines/errors';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource, Engine, GenerationInput, Privacy } from '@/ai/engines/types';
import type { RunPipeline } from '@shared/serving/types';
import type { Embed } from '../grounding/verifier-embed';
import { askGrounded } from './ask-grounded';
import { feedbackIdOf, type NewFeedback } from '../feedback/feedback-repository';
import { newId } from '../chat/conversations-repository';
import type { WebOutcome } from './web-references';
import { EXTRACTIVE_ACTIONS, MEMORY_ACTIONS, REWRITE_ACTIONS, actionPrompt } from './action-prompt';

/**
 * Runs one in-page action in the background: sources (the selection or page itself, and the user's
 * memory where the action cites it) → prompt → the engine the privacy setting and capabilities allow →
 * streamed events → a feedback record of the output (also of a stopped run's partial output, marked
 * `stopped`). The content script only ever sees events.
 *
 * A generator that fails part way restarts the answer as quotes when the action can be answered that
 * way; a rewrite can't be faked by quoting, so without a generator it says so in words instead.
 */

export interface RunnerDeps {
  engines: readonly Engine[];
  preferences: () => Promise<{ privacy: Privacy; engine: EnginePreference }>;
  /** Hybrid retrieval over the user's memory (extension/search/retrieve.ts, through the search/retrieval.ts facade). */
  retrieve: (query: string) => Promise<AskSource[]>;
  /** Find references on the web through the paired worker (web-references.ts); absent → memory only. */
  webSearch?: (text: string, signal?: AbortSignal) => Promise<WebOutcome>;
  saveFeedback: (record: NewFeedback) => Promise<Feedback>;
  /** The answer's message id (its feedback record is `feedbackIdOf` it). */
  newId?: () => string;
  /** Ask runs through the serving pipeline (ask-grounded.ts), as the chat does. */
  runPipeline: RunPipeline;
  /** The verifier's meaning check (the on-device embedder); absent → words only. */
  embed?: Embed;
}

/** Sources an answer may cite: memory search takes at most this many (the web adds its own after). */
const MEMORY_SOURCES = 5;
const MAX_SOURCES = 20;
/** Feedback bounds (shared/schemas/assistant.ts). */
const MAX_PROMPT_CONTENT = 16_000;
const MAX_OUTPUT = 64_000;

export const NEEDS_GENERATOR =
  'This action rewrites text, which needs a text generator, and none can run here. Choose one in the extension’s options (AI section): Chrome’s built-in model, WebLLM, or your worker if privacy allows it.';

function selectionSource(request: ActionRequest): AskSource {
  const url = request.pageUrl ?? 'about:blank';
  let site = '';
  try {
    site = new URL(url).hostname;
  } catch {
    // A page without a parsable URL still has its text.
  }
  const what = request.target === 'page' ? 'This page' : 'The selected text';
  return { n: 1, id: 'selection#0', kind: 'page', sourceId: url, url, title: request.pageTitle ? `${what}: ${request.pageTitle}` : what, site, text: request.text };
}

/** The query memory is searched with: the text, cut to what retrieval uses (Ask searches in ask-grounded.ts). */
function memoryQuery(request: ActionRequest): string {
  return request.text.slice(0, 1200);
}

async function sourcesFor(request: ActionRequest, deps: RunnerDeps): Promise<AskSource[]> {
  const own = request.action === 'summarize' || request.action === 'summarize-page' ? [selectionSource(request)] : [];
  if (!MEMORY_ACTIONS.has(request.action)) return own;
  let memory: AskSource[] = [];
  try {
    memory = await deps.retrieve(memoryQuery(request));
  } catch (error) {
    console.warn('memory search failed; answering without it', error);
  }
  // The page being read is already source 1; its own saved copy would only repeat it.
  memory = memory.filter((s) => s.url !== request.pageUrl || own.length === 0);
  if (request.action === 'outline-to-prose') {
    const highlights = memory.filter((s) => s.kind === 'highlight');
    if (highlights.length > 0) memory = highlights;
  }
  return [...own, ...memory.slice(0, MEMORY_SOURCES)].map((s, i) => ({ ...s, n: i + 1 }));
}

export function toCitedSource(source: AskSource): CitedSource {
  return {
    n: source.n,
    kind: source.kind,
    sourceId: source.sourceId.slice(0, 8192) || 'unknown',
    url: source.url.slice(0, 8192) || 'about:blank',
    title: source.title.slice(0, 2048),
    text: source.text.slice(0, 4000),
    ...(source.highlightId && /^[A-Za-z0-9_-]{8,64}$/.test(source.highlightId) ? { highlightId: source.highlightId } : {}),
  };
}

/** Find references, after memory: the web where the user allows the worker and one is paired. */
async function webFor(request: ActionRequest, deps: RunnerDeps, signal?: AbortSignal): Promise<WebOutcome | null> {
  if (request.action !== 'find-references' || !deps.webSearch) return null;
  try {
    return await deps.webSearch(request.text, signal);
  } catch (error) {
    if (signal?.aborted) return null;
    return { status: 'failed', message: `The web search failed: ${(error as Error)?.message ?? String(error)}` };
  }
}

export async function runAction(request: ActionRequest, deps: RunnerDeps, emit: (event: RunnerEvent) => void, signal?: AbortSignal): Promise<void> {
  if (request.action === 'ask') return askGrounded(request, { ...deps, newId: deps.newId ?? (() => newId('m')) }, emit, signal);
  const aborted = () => signal?.aborted === true;
  const memory = await sourcesFor(request, deps);
  if (aborted()) return;
  const web = await webFor(request, deps, signal);
  if (aborted()) return;
  // Web results are numbered after the user's own passages: memory first, then the web, each labelled.
  const webSources = web?.status === 'found' ? web.sources : [];
  const sources = [...memory, ...webSources].slice(0, MAX_SOURCES).map((s, i) => ({ ...s, n: i + 1 }));
  const prompt = actionPrompt(request, sources);
  const prefs = await deps.preferences();
  const choice = await chooseEngine(deps.engines, prefs.privacy, prefs.engine);
  if (aborted()) return;
  const rewrite = REWRITE_ACTIONS.has(request.action);
  const extractiveOk = EXTRACTIVE_ACTIONS.has(request.action);
  let engine: Engine = choice.engine;
  emit({ type: 'engine', engine: engine.id, label: engine.label, reason: choice.reason });
  // Summaries quote only the text itself: a source list of one would say nothing.
  if (MEMORY_ACTIONS.has(request.action) && sources.length) emit({ type: 'sources', sources: sources.map(toCitedSource) });
  if (web) emit({ type: 'web', status: web.status, message: web.message });
  if (engine.id === 'extractive' && !extractiveOk) {
    emit({ type: 'error', code: 'needs-generator', message: NEEDS_GENERATOR });
    return;
  }

  const input: GenerationInput = {
    question: prompt.question,
    sources,
    messages: prompt.messages,
    task: { action: request.action, ...(request.option ? { option: request.option } : {}), text: request.text },
  };
  // What has streamed so far: a stopped run is still recorded, with this partial output.
  let streamed = '';
  const options = {
    signal,
    onToken: (text: string) => {
      streamed += text;
      emit({ type: 'token', text });
    },
  };
  const record = async (output: string, stopped: boolean): Promise<string | null> => {
    try {
      // The id is a conversation message's, so "Open in side panel" can hand the answer over as a
      // message whose thumbs are this same record.
      const subjectId = (deps.newId ?? (() => newId('m')))();
      const saved = await deps.saveFeedback({
        id: feedbackIdOf(subjectId),
        subjectKind: rewrite ? 'rewrite' : 'answer',
        subjectId,
        conversationId: null,
        action: request.action,
        option: request.option,
        prompt: prompt.messages.slice(-24).map((m) => ({ role: m.role, content: m.content.slice(0, MAX_PROMPT_CONTENT) })),
        output: output.slice(0, MAX_OUTPUT),
        engine: engine.id,
        model: '',
        template: prompt.template,
        sources: sources.slice(0, MAX_SOURCES).map(toCitedSource),
        pageUrl: request.pageUrl,
        ...(stopped ? { stopped: true } : {}),
      });
      return saved.id;
    } catch (error) {
      // The output was shown; only the rating of it is lost.
      console.warn('feedback record not stored', error);
      return null;
    }
  };
  let output: string;
  try {
    output = await engine.generate(input, options);
  } catch (raw) {
    const error = toEngineError(raw, engine.label);
    if (error.code === 'aborted' || aborted()) {
      await record(streamed, true);
      return;
    }
    if (!extractiveOk || engine.id === 'extractive') {
      emit({ type: 'error', code: error.code, message: error.message });
      return;
    }
    emit({ type: 'restart', notice: error.message });
    engine = new ExtractiveEngine();
    streamed = '';
    try {
      output = await engine.generate(input, options);
    } catch (again) {
      const e = toEngineError(again, engine.label);
      if (e.code === 'aborted' || aborted()) await record(streamed, true);
      else emit({ type: 'error', code: e.code, message: e.message });
      return;
    }
  }
  if (aborted()) {
    await record(output, true);
    return;
  }

  const feedbackId = await record(output, false);
  emit({ type: 'done', engine: engine.id, template: prompt.template, feedbackId, rewrite });
}

