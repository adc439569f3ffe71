import type { ActionRequest, RunnerEvent } from '@shared/schemas/assistant-page';
import type { TraceStep } from '@shared/serving/types';
import type { AskSource } from '@/ai/engines/types';
import { answerGrounded, type ChatAnswer, type GroundedDeps, type ScopeSources } from '../chat/chat-answer';
import type { PageContext } from '../chat/page-context';
import { memoryRetriever } from '../grounding/memory-retriever';
import { pageRetriever } from '../grounding/page-retriever';
import type { NewFeedback } from '../feedback/feedback-repository';
import { answerFeedback, type SentPrompt } from '../feedback/answer-feedback';

/**
 * The answer bubble's Ask, through the serving pipeline the chat runs (chat-answer.ts answerGrounded):
 * the selection (or the page) is read as the open page's passages and memory is searched beside it,
 * the plan, verification and trace are the chat's, and the feedback record carries the pipeline's
 * outcome. Events go to the bubble in the runner's order (engine, sources, token*, done or error).
 */

export interface GroundedAskDeps extends GroundedDeps {
  retrieve: (query: string) => Promise<AskSource[]>;
  saveFeedback: (record: NewFeedback) => Promise<unknown>;
  newId: () => string;
}

/** The text the question is about, as a page the page retriever reads. */
function subjectPage(request: ActionRequest): PageContext | null {
  if (!request.text.trim()) return null;
  const what = request.target === 'page' ? 'This page' : 'The selected text';
  return { url: request.pageUrl ?? 'about:blank', title: request.pageTitle ? `${what}: ${request.pageTitle}` : what, text: request.text };
}

export async function askGrounded(request: ActionRequest, deps: GroundedAskDeps, emit: (event: RunnerEvent) => void, signal?: AbortSignal): Promise<void> {
  const page = subjectPage(request);
  // Memory is searched for the plan's query and the text it is about ("why?" alone finds nothing).
  const about = request.text.slice(0, 600);
  // The page being read is the subject already; its own saved copy would only repeat it (or outweigh the selection).
  const retrieve = async (query: string) => (await deps.retrieve([query, about].filter((p) => p.trim()).join('\n'))).filter((s) => !page || s.url !== request.pageUrl);
  const sources: ScopeSources = { retrievers: [memoryRetriever(retrieve), ...(page ? [pageRetriever(page)] : [])], page, skipped: [] };
  const question = request.question.trim() || 'What is this about?';
  const steps: TraceStep[] = [];
  const sent: { prompt: SentPrompt | null } = { prompt: null };
  let streamed = '';
  let result: ChatAnswer | null = null;
  try {
    result = await answerGrounded('memory', sources, question, request.history, deps, {
      signal,
      onEngine: (choice) => emit({ type: 'engine', engine: choice.engine.id, label: choice.engine.label, reason: choice.reason.slice(0, 500) }),
      onSources: (cited) => emit({ type: 'sources', sources: cited.slice(0, 20) }),
      onToken: (text) => {
        streamed += text;
        emit({ type: 'token', text });
      },
      onFallback: (error) => {
        streamed = '';
        emit({ type: 'restart', notice: error.message.slice(0, 1000) });
      },
      onPrompt: (p) => (sent.prompt = p),
      onStep: (step) => steps.push(step),
    });
  } catch (raw) {
    const error = raw as { code?: string; message?: string };
    if (!(signal?.aborted || error.code === 'aborted')) {
      emit({ type: 'error', code: (error.code ?? 'error').slice(0, 64), message: (error.message ?? String(raw)).slice(0, 2000) });
      return;
    }
  }
  const subjectId = deps.newId();
  const record = answerFeedback({ subjectId, option: request.option, result, sent: sent.prompt, steps, output: result?.answer ?? streamed, sources: result?.sources ?? [], pageUrl: request.pageUrl });
  let feedbackId: string | null = null;
  if (record) {
    try {
      await deps.saveFeedback(record);
      feedbackId = record.id;
    } catch (error) {
      // The answer was shown; only the rating of it is lost.
      console.warn('feedback record not stored', error);
    }
  }
  if (!result || signal?.aborted) return;
  emit({ type: 'done', engine: result.engine, template: result.template, feedbackId, rewrite: false, verification: result.verification, trace: result.trace });
}
