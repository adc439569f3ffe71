export { buildAskPrompt, citedSources, formatSources, ASK_SYSTEM, MAX_SOURCE_CHARS, type PromptSource } from './ask';
export { buildWritePrompt } from './write';
