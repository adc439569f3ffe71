import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { SseSources, SseTrace, type ChatRequest } from '../../../shared/schemas/cloud';
import { runPipeline } from '../../../shared/serving/pipeline';
import type { NumberedPassage, Retriever } from '../../../shared/serving/types';
import { spend, usageHeaders } from '../billing/entitlements';
import { intVar } from '../env';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { configuredModel, estimateTokens } from '../monitoring/request-monitor';
import { logJson } from '../observability/log';
import { selectProvider } from '../providers/select';
import { ProviderError } from '../providers/types';
import { providerGenerator } from './provider-generator';
import { recordsRetriever } from './records-retriever';
import { webRetriever, webSearchConfigured } from './web-retriever';

const DEFAULT_MAX_TOKENS = 1024;

/** The `sources` event of a pipeline answer: the numbered passages, each with where it came from. */
export function sseSources(sources: readonly NumberedPassage[]): SseSources {
  return SseSources.parse({
    sources: sources.map((s) => ({
      n: s.n,
      kind: s.kind,
      key: s.highlightId ?? s.id.slice(0, 8192),
      title: s.title.slice(0, 2048),
      url: s.url.slice(0, 8192),
      origin: s.origin,
      text: s.text.slice(0, 4_000),
      ...(s.highlightId && s.highlightId.length <= 200 ? { highlightId: s.highlightId } : {}),
      ...(s.alsoFrom?.length ? { alsoFrom: s.alsoFrom } : {}),
    })),
  });
}

/**
 * /v1/chat with a question and a scope: the serving pipeline (shared/serving) with the worker's
 * retrievers — the user's synced records, and the web when a search provider is configured — and the
 * worker's model as generator. Streams `sources`, `delta`s, `trace` (AnswerTrace + Verification), `done`.
 * The chat quota is spent before the stream starts, so a refusal is a reply, never a broken stream.
 */
export async function pipelineAnswer(c: Context<AppEnv>, body: ChatRequest): Promise<Response> {
  const provider = selectProvider(c.env);
  if (!provider) throw new ApiError('provider_unavailable', 'no model is configured on this worker (set OPENAI_BASE_URL or bind Workers AI)');
  const auth = c.get('auth');
  const monitor = c.get('monitor');
  const model = configuredModel(c.env, provider.name);
  const generator = providerGenerator(provider, model, body.maxTokens ?? DEFAULT_MAX_TOKENS);
  const retrievers: Retriever[] = [recordsRetriever(c.env, auth.userId, intVar(c.env.SERVING_RECORDS_BUDGET_MS, 3_000))];
  if (webSearchConfigured(c.env)) retrievers.push(webRetriever(c.env, auth.userId, intVar(c.env.SERVING_WEB_BUDGET_MS, 6_000)));
  const grant = await spend(c.env, auth.userId, 'chatRequests');

  const hangUp = new AbortController();
  const timeoutMs = intVar(c.env.CHAT_TIMEOUT_MS, 120_000);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [hangUp.signal, timeout];
  if (c.req.raw.signal) signals.push(c.req.raw.signal);
  const signal = AbortSignal.any(signals);
  const requestId = c.get('requestId');
  const log = (fields: Record<string, unknown>) => c.env.LOG_REQUESTS !== '0' && logJson({ requestId, provider: provider.name, ...fields });

  for (const [name, value] of Object.entries(usageHeaders(grant))) c.header(name, value);
  const sampled = monitor.defer();
  const started = Date.now();
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => hangUp.abort(new Error('client disconnected')));
    let chars = 0;
    let wrote = false;
    // Tokens are written in order; a slow client backs up here, not in the model's stream.
    let writes = Promise.resolve();
    const write = (event: string, data: unknown) => {
      writes = writes.then(() => stream.writeSSE({ event, data: JSON.stringify(data) }));
      return writes;
    };
    try {
      const result = await runPipeline(
        { question: body.question!, scope: body.scope!, history: body.history ?? [], contextChars: intVar(c.env.SERVING_CONTEXT_CHARS, 12_000) },
        { retrievers, generator, repair: body.repair ?? false },
        {
          signal,
          onSources: (sources) => void write('sources', sseSources(sources)),
          onToken: (text) => {
            chars += text.length;
            wrote = true;
            void write('delta', { delta: text });
          },
        },
      );
      await writes;
      const trace = SseTrace.parse({ trace: result.trace, verification: result.verification, ...(result.verification.repaired ? { answer: result.answer } : {}) });
      await write('trace', trace);
      await write('done', { finishReason: generator.finishReason() });
      monitor.note({ template: `${result.trace.template.id}@${result.trace.template.version}`, tokensIn: estimateTokens(result.prompt.reduce((n, m) => n + m.content.length, 0)) });
      for (const step of result.trace.steps) monitor.stage(`pipeline.${step.step}`, step.ms);
      log({ level: 'info', msg: 'pipeline answer finished', chars, ms: Date.now() - started, checked: result.verification.checked, unsupported: result.verification.unsupported });
    } catch (error) {
      await writes.catch(() => undefined);
      if (hangUp.signal.aborted || c.req.raw.signal?.aborted) {
        log({ level: 'info', msg: 'pipeline answer cancelled: client disconnected', chars });
        return;
      }
      // Nothing was generated: the request is given back to the quota.
      if (!wrote) await grant.release();
      const timedOut = timeout.aborted;
      if (error instanceof ProviderError) log({ level: 'warn', msg: 'model endpoint failed', upstreamStatus: error.upstreamStatus, error: error.message });
      else log({ level: 'warn', msg: timedOut ? 'pipeline timed out' : 'pipeline failed', error: String(error) });
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({
          error: {
            code: 'provider_error',
            message: timedOut ? `the answer did not finish within ${timeoutMs} ms` : error instanceof ProviderError ? 'the model endpoint failed; the worker log has the details under this requestId' : 'the answer stopped with an error',
          },
        }),
      });
    } finally {
      hangUp.abort();
      monitor.note({ provider: provider.name, model, tokensOut: estimateTokens(chars), tokensEstimated: true });
      monitor.stage('stream', Date.now() - started);
      await sampled();
    }
  });
}
