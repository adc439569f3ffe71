import type { TemplateRef } from '../schemas/assistant';
import type { WriteAction } from '../schemas/cloud';

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
  // The prompts the worker builds (ask.ts buildAskPrompt, write.ts buildWritePrompt): the worker records
  // these on every /v1/chat and /v1/write request, and the extension's callers of the same builders use
  // the same ids, so a template version means one wording wherever it ran.
  'ask-sources': { id: 'ask-sources', version: 1 },
  'write.improve': { id: 'write.improve', version: 1 },
  'write.tone': { id: 'write.tone', version: 1 },
  'write.summarize': { id: 'write.summarize', version: 1 },
  'write.explain': { id: 'write.explain', version: 1 },
  'write.outline-to-prose': { id: 'write.outline-to-prose', version: 1 },
  // The data loop's generators: the model prompt (synthetic-qa.ts) and the extractive cloze rules
  // (extension/curation/synthetic/cloze.ts), versioned alike so a generated pair says which made it.
  'synthetic-qa': { id: 'synthetic-qa', version: 1 },
  'synthetic-cloze': { id: 'synthetic-cloze', version: 1 },
} as const satisfies Record<string, TemplateRef>;

export type TemplateId = keyof typeof TEMPLATES;

export function templateRef(id: TemplateId): TemplateRef {
  return { ...TEMPLATES[id] };
}

/** "id@version": how monitoring samples and review filters name a template. */
export const templateKey = (ref: TemplateRef) => `${ref.id}@${ref.version}`;

/** The template of a writing action built by buildWritePrompt. */
export function writeTemplate(action: WriteAction): TemplateRef {
  return templateRef(`write.${action}`);
}
