import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ChatRequest, WriteRequest, type ChatMessage } from '../../../shared/schemas/cloud';
import type { RecordKind } from '../../../shared/schemas/sync';
import { buildAskPrompt, buildWritePrompt } from '../../../shared/prompts';
import { intVar } from '../env';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { enforce } from '../http/rate-limit';
import { readJson } from '../http/validate';
import { logJson } from '../observability/log';
import { selectProvider } from '../providers/select';
import { ProviderError, type StreamPart } from '../providers/types';
import { userStore } from '../store/stub';

const DAY = 86_400_000;
const DEFAULT_MAX_TOKENS = 1024;

interface SourceRef {
  n: number;
  /** Any searchable kind (the SSE `sources` event carries a RecordKind). */
  kind: RecordKind;
  key: string;
  title: string;
  url: string;
}

/**
 * Streams a generation as SSE (events in shared/schemas/cloud.ts). The upstream request gets one
 * AbortSignal that fires on whichever comes first: the client hanging up (stream.onAbort, or the
 * request's own signal), or the timeout. Aborting it stops the upstream fetch, so nothing keeps
 * generating for a reader that's gone.
 */
async function generate(c: Context<AppEnv>, messages: ChatMessage[], maxTokens: number, sources: SourceRef[] | null): Promise<Response> {
  const provider = selectProvider(c.env);
  if (!provider) throw new ApiError('provider_unavailable', 'no model is configured on this worker (set OPENAI_BASE_URL or bind Workers AI)');
  const auth = c.get('auth');
  await enforce(c.env.DB, `chat:${auth.userId}`, intVar(c.env.CHAT_QUOTA_PER_DAY, 200), DAY, Date.now(), 'quota_exceeded');

  const hangUp = new AbortController();
  const timeoutMs = intVar(c.env.CHAT_TIMEOUT_MS, 120_000);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [hangUp.signal, timeout];
  if (c.req.raw.signal) signals.push(c.req.raw.signal);
  const signal = AbortSignal.any(signals);

  let parts: AsyncIterable<StreamPart>;
  try {
    parts = await provider.open({ messages, maxTokens, signal });
  } catch (error) {
    if (error instanceof ProviderError) throw new ApiError('provider_error', error.message);
    if (timeout.aborted) throw new ApiError('provider_error', `the model did not answer within ${timeoutMs} ms`);
    throw error;
  }

  const requestId = c.get('requestId');
  const started = Date.now();
  const log = (fields: Record<string, unknown>) => c.env.LOG_REQUESTS !== '0' && logJson({ requestId, provider: provider.name, ...fields });
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => hangUp.abort(new Error('client disconnected')));
    let chars = 0;
    try {
      if (sources) await stream.writeSSE({ event: 'sources', data: JSON.stringify({ sources }) });
      for await (const part of parts) {
        if (part.type === 'delta') {
          chars += part.text.length;
          await stream.writeSSE({ event: 'delta', data: JSON.stringify({ delta: part.text }) });
        } else {
          await stream.writeSSE({ event: 'done', data: JSON.stringify({ finishReason: part.reason }) });
        }
      }
      log({ level: 'info', msg: 'generation finished', chars, ms: Date.now() - started });
    } catch (error) {
      if (hangUp.signal.aborted || c.req.raw.signal?.aborted) {
        log({ level: 'info', msg: 'generation cancelled: client disconnected', chars, ms: Date.now() - started });
        return;
      }
      const timedOut = timeout.aborted;
      log({ level: 'warn', msg: timedOut ? 'generation timed out' : 'generation failed', error: String(error) });
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({ error: { code: 'provider_error', message: timedOut ? `the model did not finish within ${timeoutMs} ms` : 'the model stopped with an error' } }),
      });
    } finally {
      hangUp.abort();
    }
  });
}

export const aiRoutes = new Hono<AppEnv>()
  .post('/chat', async (c) => {
    const body = await readJson(c, ChatRequest);
    const maxTokens = body.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (body.messages) return generate(c, body.messages, maxTokens, null);
    const question = body.question!;
    if (body.searchMyRecords) {
      const auth = c.get('auth');
      const found = await userStore(c.env, auth.userId).sourcesFor(auth.userId, question, 8);
      const refs = found.map((s, i) => ({ n: i + 1, kind: s.kind, key: s.key, title: s.title, url: s.url }));
      return generate(c, buildAskPrompt(question, found), maxTokens, refs);
    }
    return generate(c, buildAskPrompt(question, body.sources ?? []), maxTokens, null);
  })
  .post('/write', async (c) => {
    const body = await readJson(c, WriteRequest);
    return generate(c, buildWritePrompt(body.action, body.text, body.tone), body.maxTokens ?? DEFAULT_MAX_TOKENS, null);
  });
