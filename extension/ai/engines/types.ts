/**
 * One interface in front of every way an answer can be generated: WebLLM on WebGPU, Chrome's built-in
 * Prompt API, the worker's /v1/chat, and the extractive fallback that quotes passages. The ask flow
 * only ever talks to `Engine`; which one runs is the chooser's decision (see chooser.ts).
 */

import type { AssistantAction, TemplateRef } from '@shared/schemas/assistant';

export type EngineId = 'webllm' | 'built-in' | 'openai-compatible' | 'worker' | 'extractive';

/** Where the user allows page text to go. 'local-only' is the default and never sends it anywhere. */
export type Privacy = 'local-only' | 'allow-worker';

export type Availability =
  | { status: 'available' }
  /** Works once a model is downloaded (WebLLM weights, Gemini Nano): needs the user's go-ahead. */
  | { status: 'downloadable'; detail?: string }
  | { status: 'unavailable'; reason: string };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A numbered source the answer may cite as [n]. */
export interface AskSource {
  n: number;
  /** Chunk id (`kind:key#ordinal`). */
  id: string;
  kind: 'page' | 'highlight' | 'web';
  /** Highlight id or page URL. */
  sourceId: string;
  url: string;
  title: string;
  site: string;
  text: string;
  /** When the source is a highlight: the id to reveal on the page. */
  highlightId?: string;
  /** The user's own note on a highlight: kept apart from `text`, so it is never quoted as the page's words. */
  note?: string;
  /** A short line shown beside the title (CitedSource.detail): a product's best price and store. */
  detail?: string;
}

/** A writing or reading action on a piece of text (right-click menu, answer bubble, editable fields).
 * Engines with a native API for the action (Chrome's Summarizer, Rewriter, Proofreader, Translator,
 * Writer) use it instead of `messages`; every other engine generates from `messages` as for a question. */
export interface GenerationTask {
  action: AssistantAction;
  /** The action's option: a tone ('formal'), a target language ('de'). */
  option?: string;
  /** The text the action works on (the selection, the field, the page). */
  text: string;
}

export interface GenerationInput {
  question: string;
  sources: AskSource[];
  /** The prompt, already built from the sources, for engines that generate. */
  messages: ChatMessage[];
  task?: GenerationTask;
  /** The shared/prompts template that built `messages` (the worker engine sends it, so the worker's
   * monitoring records the same id@version as the feedback). */
  template?: TemplateRef;
}

export interface DownloadProgress {
  /** 0..1 when known. */
  fraction: number | null;
  text: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Each new piece of the answer, in order. */
  onToken?: (text: string) => void;
  /** Model download / load progress, where the engine has one. */
  onProgress?: (progress: DownloadProgress) => void;
}

export interface Engine {
  readonly id: EngineId;
  readonly label: string;
  /** True when nothing (page text, question) leaves the device. */
  readonly local: boolean;
  /** With a task: whether this engine can do that task (natively or by prompting). */
  available(task?: GenerationTask): Promise<Availability>;
  /** Engines whose privacy depends on their configuration (a user endpoint on localhost or not)
   * answer here; the others are judged by `local`. */
  permits?(privacy: Privacy): Promise<boolean>;
  /** Streams the answer through onToken and resolves with all of it. Rejects with an EngineError. */
  generate(input: GenerationInput, options?: GenerateOptions): Promise<string>;
}
