import type { CitedSource } from '@shared/schemas/assistant';
import { outcomeOfCut, outcomeOfRun } from '@shared/serving/outcome';
import type { TraceStep } from '@shared/serving/types';
import type { ChatAnswer } from '../chat/chat-answer';
import { feedbackIdOf, type NewFeedback } from './feedback-repository';

/**
 * The feedback record of an answer from the serving pipeline, built the same way by every surface that
 * shows one (the chat, the answer bubble's Ask, the side panel's Ask): the prompt as sent, the output
 * as shown, and the pipeline's outcome — the whole run's, or, for an answer stopped part-way, the stage
 * it was cut off in. Clipped to the record's bounds here, so no surface can fail the schema by a long
 * conversation or answer.
 */

/** What was sent to the engine, known as soon as the prompt went out (ChatCallbacks.onPrompt). */
export type SentPrompt = Pick<ChatAnswer, 'prompt' | 'template' | 'engine' | 'model' | 'pageUrl'>;

export interface AnswerRun {
  /** The answer's id (a conversation message's): the record's id is derived from it (feedbackIdOf). */
  subjectId: string;
  conversationId?: string | null;
  /** The scope or the action's option. */
  option: string;
  /** The finished run, or null when it was stopped or failed. */
  result: (SentPrompt & Pick<ChatAnswer, 'trace' | 'verification'>) | null;
  /** The prompt sent, for a run with no result: without one nothing reached the engine and nothing is recorded. */
  sent: SentPrompt | null;
  /** The stages that ended before a stop. */
  steps: readonly TraceStep[];
  /** The output as shown (for a stopped run, what had streamed). */
  output: string;
  sources: readonly CitedSource[];
  /** The page the answer is about, when the surface knows it better than the prompt does. */
  pageUrl?: string | null;
}

export function answerFeedback(run: AnswerRun): NewFeedback | null {
  const recorded = run.result ?? run.sent;
  if (!recorded) return null;
  return {
    id: feedbackIdOf(run.subjectId),
    subjectKind: 'answer',
    subjectId: run.subjectId,
    conversationId: run.conversationId ?? null,
    action: 'ask',
    option: run.option.slice(0, 64),
    prompt: recorded.prompt.slice(-24).map((m) => ({ role: m.role, content: m.content.slice(0, 16_000) })),
    output: run.output.slice(0, 64_000),
    engine: recorded.engine,
    model: recorded.model.slice(0, 128),
    template: recorded.template,
    sources: run.sources.slice(0, 20),
    pageUrl: run.pageUrl !== undefined ? run.pageUrl : recorded.pageUrl,
    ...(run.result ? {} : { stopped: true }),
    serving: run.result ? outcomeOfRun(run.result.trace, run.result.verification) : outcomeOfCut(run.steps),
  };
}
