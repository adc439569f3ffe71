import { z } from 'zod';
import { RecordKind } from './sync';
import { AssistantScope, CitedSource } from './assistant-base';
import { AnswerTrace, SourceOrigin, Verification } from '../serving/types';
import { TemplateRef } from './assistant-base';

/**
 * The worker's HTTP API besides sync (accounts, devices, pairing, search, chat and writing actions).
 * Both sides parse with these: the worker validates requests, the extension validates responses.
 * Every error is `ApiErrorBody` with a stable `code`.
 */

// --- Errors --------------------------------------------------------------------------------------

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'quota_exceeded',
  'provider_unavailable',
  'provider_error',
  'internal',
  /** 422: well-formed, but the server can't take it as it is (e.g. JSON nested too deep); the message says why. */
  'unprocessable',
  /** 503: the worker itself isn't ready (e.g. its database isn't migrated); the message names the fix. */
  'unavailable',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** For 400: which fields were wrong and why. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

// --- Health --------------------------------------------------------------------------------------

/** `GET /v1/health`: 200 when the worker's database has every migration its code expects, else 503
 * with what is missing and the command that applies it. */
export const Health = z.object({
  ok: z.boolean(),
  schema: z.object({ applied: z.array(z.string()), expected: z.array(z.string()), missing: z.array(z.string()) }),
  fix: z.string().optional(),
  message: z.string().optional(),
});
export type Health = z.infer<typeof Health>;

// --- Accounts, devices, pairing ------------------------------------------------------------------

/**
 * A device's name is shown to the person choosing which device to sign out, so it is plain printable
 * text: no control characters (C0/C1), no bidirectional overrides or marks that reorder what is shown,
 * no line separators, no lone surrogates (not text at all). NFC, so one name typed two ways is one name
 * (names are unique per account).
 */
export const DeviceName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((s) => !/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u.test(s), 'a device name cannot contain control or text-direction characters')
  .refine((s) => !/\p{Cs}/u.test(s), 'a device name cannot contain a lone surrogate')
  .transform((s) => s.normalize('NFC'));

export const CreateAccountRequest = z.object({ deviceName: DeviceName });
/** Returned once: the token is never shown again (the server keeps only its SHA-256). */
export const DeviceCredentials = z.object({
  userId: z.string(),
  deviceId: z.string(),
  token: z.string(),
  expiresAt: z.number().int(),
});
export type DeviceCredentials = z.infer<typeof DeviceCredentials>;

export const PairingCode = z.object({
  /** 8 characters from an unambiguous alphabet, shown on the first device. Single use. */
  code: z.string(),
  expiresAt: z.number().int(),
});
export type PairingCode = z.infer<typeof PairingCode>;

export const JoinRequest = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[A-Z0-9]{8}$/, 'a pairing code is 8 letters and digits')),
  deviceName: DeviceName,
});

export const Device = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
  expiresAt: z.number().int(),
  /** The device making this request. */
  current: z.boolean(),
  /** Whether the device making this request may sign this one out (itself, or a device paired after it). */
  canRevoke: z.boolean().optional(),
});
export type Device = z.infer<typeof Device>;
export const DeviceList = z.object({ devices: z.array(Device) });

export const Me = z.object({ userId: z.string(), deviceId: z.string(), deviceName: z.string() });

// --- Search --------------------------------------------------------------------------------------

export const SearchRequest = z
  .object({
    q: z.string().trim().max(1000).default(''),
    /** The query's embedding, computed on the device (the worker never embeds). Unit-length float32. */
    vector: z.array(z.number().finite()).min(1).max(4096).optional(),
    /** Which embedding model made `vector`; only vectors of that model are compared. */
    model: z.string().min(1).max(128).optional(),
    kinds: z.array(RecordKind).min(1).max(5).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .refine((r) => r.q.length > 0 || r.vector, { message: 'give a query text (q), a vector, or both', path: ['q'] })
  .refine((r) => !r.vector || r.model, { message: 'a vector needs its model name', path: ['model'] });
export type SearchRequest = z.infer<typeof SearchRequest>;

/** Snippets are parts, never HTML: `match` marks the words that matched. */
export const SnippetPart = z.object({ text: z.string(), match: z.boolean() });

export const SearchHit = z.object({
  kind: RecordKind,
  key: z.string(),
  title: z.string(),
  url: z.string(),
  snippet: z.array(SnippetPart),
  /** Reciprocal-rank-fusion score (higher is better). */
  score: z.number(),
  /** 1-based ranks in each list the hit appeared in. */
  keywordRank: z.number().int().nullable(),
  vectorRank: z.number().int().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z.object({
  mode: z.enum(['hybrid', 'keyword', 'vector']),
  hits: z.array(SearchHit),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

// --- Chat and writing actions (SSE) --------------------------------------------------------------

export const ChatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(100_000),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatSource = z.object({
  title: z.string().max(2048).default(''),
  url: z.string().max(8192).default(''),
  text: z.string().min(1).max(20_000),
});
export type ChatSource = z.infer<typeof ChatSource>;

/**
 * Either ready `messages` (the extension built the prompt from shared/prompts itself), or a
 * `question`: then the worker builds the ask-with-sources prompt from the given `sources`, or, with
 * `searchMyRecords`, from the best matches in the user's synced records.
 */
export const ChatRequest = z
  .object({
    messages: z.array(ChatMessage).min(1).max(64).optional(),
    question: z.string().trim().min(1).max(4000).optional(),
    sources: z.array(ChatSource).max(20).optional(),
    searchMyRecords: z.boolean().default(false),
    /** Ignored: answers always stream. Accepted so clients may say so explicitly. */
    stream: z.boolean().optional(),
    maxTokens: z.number().int().min(1).max(4096).optional(),
    /** With a question: answer through the serving pipeline (shared/serving) over the user's records and,
     * for 'everything' when a provider is configured, the web; the stream then ends with a `trace` event. */
    scope: AssistantScope.optional(),
    /** Earlier turns, oldest first, for a follow-up question (pipeline only). */
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(16_000) })).max(24).optional(),
    /** One repair pass over unsupported citations (pipeline only). */
    repair: z.boolean().optional(),
    /** With `messages`: the shared/prompts template the client built them with (recorded by monitoring). */
    template: TemplateRef.optional(),
  })
  .refine((r) => Boolean(r.messages) !== Boolean(r.question), { message: 'give either messages or a question', path: ['messages'] });
export type ChatRequest = z.infer<typeof ChatRequest>;

export const WRITE_ACTIONS = ['improve', 'tone', 'summarize', 'explain', 'outline-to-prose'] as const;
export const WriteAction = z.enum(WRITE_ACTIONS);
export type WriteAction = z.infer<typeof WriteAction>;
export const TONES = ['formal', 'friendly', 'confident', 'concise', 'casual'] as const;
export const Tone = z.enum(TONES);
export type Tone = z.infer<typeof Tone>;

export const WriteRequest = z
  .object({
    action: WriteAction,
    text: z.string().trim().min(1).max(50_000),
    tone: Tone.optional(),
    maxTokens: z.number().int().min(1).max(4096).optional(),
  })
  .refine((r) => r.action !== 'tone' || r.tone, { message: 'the tone action needs a tone', path: ['tone'] });
export type WriteRequest = z.infer<typeof WriteRequest>;

/**
 * Server-sent events of /v1/chat and /v1/write, in order:
 *   event: sources  data: SseSources      (only when the worker chose the sources)
 *   event: delta    data: { delta }       (one per piece of text, many)
 *   event: trace    data: SseTrace        (only for a pipeline answer: a question with a scope)
 *   event: done     data: { finishReason }
 * or, at any point, `event: error  data: { error: { code, message } }` and the stream ends.
 */
export const SseSources = z.object({
  sources: z.array(
    z.object({
      n: z.number().int(),
      /** A record kind, or (pipeline answers) a cited source's kind such as 'web'. */
      kind: z.union([RecordKind, CitedSource.shape.kind]),
      key: z.string(),
      title: z.string(),
      url: z.string(),
      // Pipeline answers only: where the source came from and the passage the answer may cite.
      origin: SourceOrigin.optional(),
      text: z.string().max(4_000).optional(),
      highlightId: z.string().max(200).optional(),
      alsoFrom: z.array(SourceOrigin).max(5).optional(),
    }),
  ).max(20),
});
export type SseSources = z.infer<typeof SseSources>;
export const SseDelta = z.object({ delta: z.string() });
/** The pipeline's trace and verification; `answer` is sent when a repair pass replaced the streamed text. */
export const SseTrace = z.object({ trace: AnswerTrace, verification: Verification, answer: z.string().max(100_000).optional() });
export type SseTrace = z.infer<typeof SseTrace>;
export const SseDone = z.object({ finishReason: z.enum(['stop', 'length', 'cancelled', 'timeout']) });
export const SseError = z.object({ error: z.object({ code: ErrorCode, message: z.string() }) });
