import type { AssistantAction, PromptMessage, TemplateRef } from '@shared/schemas/assistant';
import { buildActionPrompt } from '@shared/prompts/actions';
import type { ActionRequest } from '@shared/schemas/assistant-page';
import type { AskSource } from '@/ai/engines/types';

/**
 * The prompt of one in-page action: the versioned template of shared/prompts/actions.ts, the same one
 * every surface uses, so the template id/version stored with the output names the wording that made it.
 * This module only says which actions rewrite, quote or search memory, and maps a run's request onto
 * the template's input.
 */

export { TRANSLATE_LANGUAGES } from '@shared/prompts/actions';

export interface ActionPrompt {
  messages: PromptMessage[];
  template: TemplateRef;
  /** The question the extractive engine ranks sentences against. */
  question: string;
}

/** Actions whose output is a new version of the text, offered as Replace in an editable field. */
export const REWRITE_ACTIONS: ReadonlySet<AssistantAction> = new Set(['improve', 'proofread', 'tone', 'translate', 'outline-to-prose']);

/** Actions that can be answered by quoting when no generator runs (the rest need one). */
export const EXTRACTIVE_ACTIONS: ReadonlySet<AssistantAction> = new Set(['ask', 'summarize', 'summarize-page', 'find-references']);

/** Actions that search the user's memory for sources. */
export const MEMORY_ACTIONS: ReadonlySet<AssistantAction> = new Set(['ask', 'find-references', 'outline-to-prose']);

type PromptRequest = Pick<ActionRequest, 'action' | 'option' | 'text' | 'question' | 'history' | 'pageUrl' | 'pageTitle'>;

export function actionPrompt(request: PromptRequest, sources: readonly AskSource[]): ActionPrompt {
  const { action, text } = request;
  const question = action === 'ask' ? request.question.trim() || 'What does this say, in short?' : text;
  const built = buildActionPrompt(action, {
    text,
    option: request.option,
    question,
    history: request.history,
    sources: sources.map((s) => ({ title: s.title, url: s.url, text: s.text })),
    ...(action === 'summarize-page' && request.pageUrl ? { page: { title: request.pageTitle, url: request.pageUrl } } : {}),
  });
  return { ...built, question };
}
