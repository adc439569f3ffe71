import type { TemplateRef } from '../schemas/assistant';

/**
 * Every prompt template the assistant uses, with a version. The version is stored with each answer and
 * each feedback record, so the data loop can tell which wording produced which output: change a
 * template's wording → raise its version. Ids are stable forever (a renamed template is a new id).
 */
export const TEMPLATES = {
  'chat-page': { id: 'chat-page', version: 1 },
  'chat-memory': { id: 'chat-memory', version: 1 },
  'chat-everything': { id: 'chat-everything', version: 1 },
  // v2: cites numbered sources (the selection + memory passages) and keeps the bubble's follow-ups.
  ask: { id: 'ask', version: 2 },
  explain: { id: 'explain', version: 1 },
  summarize: { id: 'summarize', version: 1 },
  'summarize-page': { id: 'summarize-page', version: 1 },
  improve: { id: 'improve', version: 1 },
  proofread: { id: 'proofread', version: 1 },
  tone: { id: 'tone', version: 1 },
  translate: { id: 'translate', version: 1 },
  // v2: web results (titles starting "Web:") are listed after the user's own reading and called web.
  'find-references': { id: 'find-references', version: 2 },
  'outline-to-prose': { id: 'outline-to-prose', version: 1 },
  // The serving pipeline's prompts (shared/prompts/grounded.ts): sources labelled by origin.
  'grounded-page': { id: 'grounded-page', version: 1 },
  'grounded-memory': { id: 'grounded-memory', version: 1 },
  'grounded-everything': { id: 'grounded-everything', version: 1 },
  'grounded-shopping': { id: 'grounded-shopping', version: 1 },
  'grounded-repair': { id: 'grounded-repair', version: 1 },
} as const satisfies Record<string, TemplateRef>;

export type TemplateId = keyof typeof TEMPLATES;

export function templateRef(id: TemplateId): TemplateRef {
  return { ...TEMPLATES[id] };
}
