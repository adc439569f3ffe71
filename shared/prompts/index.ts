export { buildAskPrompt, citedSources, formatSources, ASK_SYSTEM, MAX_SOURCE_CHARS, type PromptSource } from './ask';
export { buildWritePrompt } from './write';
export { buildActionPrompt, ACTION_TONES, TRANSLATE_LANGUAGES, MAX_ACTION_TEXT, type ActionPrompt, type ActionPromptInput, type ActionTone } from './actions';
export { buildChatPrompt, MAX_HISTORY_MESSAGES, type ChatPrompt, type ChatPromptInput, type ChatTurn } from './chat';
export { TEMPLATES, templateRef, templateKey, writeTemplate, type TemplateId } from './templates';
export { formatSourcesWithin } from './ask';
export { buildGroundedPrompt, buildRepairPrompt, formatGroundedSources, type GroundedSource, type GroundedPrompt, type GroundedPromptInput } from './grounded';
