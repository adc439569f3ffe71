import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ChatRequest, WriteRequest, type ChatMessage } from '../../../shared/schemas/cloud';
import type { RecordKind } from '../../../shared/schemas/sync';
import { buildAskPrompt, buildWritePrompt, templateKey, templateRef, writeTemplate } from '../../../shared/prompts';
import type { TemplateRef } from '../../../shared/schemas/assistant-base';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { streamSignal } from '../http/stream-signal';
import { readJson } from '../http/validate';
import { spend, usageHeaders } from '../billing/entitlements';
import { logJson } from '../observability/log';
import { selectProvider } from '../providers/select';
import { ProviderError, type StreamPart } from '../providers/types';
import { userStore } from '../store/stub';
import { configuredModel, estimateTokens } from '../monitoring/request-monitor';
import { pipelineAnswer } from '../serving/pipeline-route';

const DEFAULT_MAX_TOKENS = 1024;

interface SourceRef {
  n: number;
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
/** Response header naming the template ("id@version") that built the prompt, so a client can store it
 * with the answer's feedback; absent when the client sent its own messages without naming one. */
export const TEMPLATE_HEADER = 'X-Calico-Template';

async function generate(c: Context<AppEnv>, messages: ChatMessage[], maxTokens: number, sources: SourceRef[] | null, templateRefUsed: TemplateRef | null): Promise<Response> {
  // Client-built messages without a named template are recorded as such, never as a template version.
  const template = templateRefUsed ? templateKey(templateRefUsed) : 'client-messages';
  const provider = selectProvider(c.env);
  if (!provider) throw new ApiError('provider_unavailable', 'no model is configured on this worker (set OPENAI_BASE_URL or bind Workers AI)');
  const monitor = c.get('monitor');
  // Providers stream without usage counts: tokens are estimated from characters (and marked so).
  monitor.note({ provider: provider.name, model: configuredModel(c.env, provider.name), template, tokensIn: estimateTokens(messages.reduce((n, m) => n + m.content.length, 0)), tokensEstimated: true });
  const auth = c.get('auth');
  // Spent before the model is asked, so a refusal always comes as a reply, never mid-stream.
  const grant = await spend(c.env, auth.userId, 'chatRequests');

  const { signal, hangUp, timeout, timeoutMs } = streamSignal(c);

  const requestId = c.get('requestId');
  let parts: AsyncIterable<StreamPart>;
  try {
    parts = await monitor.time('open', () => provider.open({ messages, maxTokens, signal }));
  } catch (error) {
    await grant.release();
    if (error instanceof ProviderError) {
      // The upstream's words (its error body, the endpoint's address) stay in the operator's log: they
      // can name internals or echo the prompt. The client gets a stable message and this requestId.
      logJson({ level: 'warn', requestId, provider: provider.name, msg: 'model endpoint failed', upstreamStatus: error.upstreamStatus, error: error.message });
      throw new ApiError('provider_error', 'the model endpoint failed; the worker log has the details under this requestId');
    }
    if (timeout.aborted) throw new ApiError('provider_error', `the model did not answer within ${timeoutMs} ms`);
    throw error;
  }

  const started = Date.now();
  const log = (fields: Record<string, unknown>) => c.env.LOG_REQUESTS !== '0' && logJson({ requestId, provider: provider.name, ...fields });
  for (const [name, value] of Object.entries(usageHeaders(grant))) c.header(name, value);
  if (templateRefUsed) c.header(TEMPLATE_HEADER, template);
  const sampled = monitor.defer();
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
      monitor.stage('stream', Date.now() - started);
      monitor.note({ tokensOut: estimateTokens(chars) });
      await sampled();
    }
  });
}

export const aiRoutes = new Hono<AppEnv>()
  .post('/chat', async (c) => {
    const body = await readJson(c, ChatRequest);
    const maxTokens = body.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (body.messages) return generate(c, body.messages, maxTokens, null, body.template ?? null);
    // A question with a scope goes through the serving pipeline (records + web, verified citations).
    if (body.scope) return pipelineAnswer(c, body);
    const question = body.question!;
    if (body.searchMyRecords) {
      const auth = c.get('auth');
      const found = await c.get('monitor').time('retrieve', () => userStore(c.env, auth.userId).sourcesFor(auth.userId, question, 8));
      const refs = found.map((s, i) => ({ n: i + 1, kind: s.kind, key: s.key, title: s.title, url: s.url }));
      return generate(c, buildAskPrompt(question, found), maxTokens, refs, templateRef('ask-sources'));
    }
    return generate(c, buildAskPrompt(question, body.sources ?? []), maxTokens, null, templateRef('ask-sources'));
  })
  .post('/write', async (c) => {
    const body = await readJson(c, WriteRequest);
    return generate(c, buildWritePrompt(body.action, body.text, body.tone), body.maxTokens ?? DEFAULT_MAX_TOKENS, null, writeTemplate(body.action));
  });
