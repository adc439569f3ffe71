import { hasEndpointPermission, isLoopback, type DirectEndpointConfig } from './direct-endpoint-config';
import { EngineError, throwIfAborted, toEngineError } from './errors';
import { errorDetail, readSseAnswer } from './sse-stream';
import type { Availability, Engine, GenerateOptions, GenerationInput, Privacy } from './types';

/**
 * Generation on an OpenAI-compatible endpoint the user set (POST {baseUrl}/chat/completions with
 * stream: true, answered as server-sent events). An endpoint on this machine (Ollama, LM Studio,
 * llama.cpp on localhost) keeps everything local, so "local only" allows it; any other host sends page
 * text away and is allowed only when the user allows sending. Both checks run again right before each
 * request, not only in the chooser.
 */

export interface OpenAiCompatibleOptions {
  config: () => Promise<{ endpoint: DirectEndpointConfig | null; privacy: Privacy }>;
  fetch?: typeof fetch;
  hasPermission?: (baseUrl: string) => Promise<boolean>;
}

function chatUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** Ollama answers 403 with an empty body to any Origin not in OLLAMA_ORIGINS — extension origins included. */
export function explainForbidden(baseUrl: string, detail: string): string {
  const u = new URL(baseUrl);
  const looksLikeOllama = u.port === '11434' || /ollama/i.test(detail);
  const ollama =
    'If this is Ollama: it refuses requests from browser extensions unless told to accept them. Quit Ollama, set the environment variable OLLAMA_ORIGINS=chrome-extension://* (on macOS: launchctl setenv OLLAMA_ORIGINS "chrome-extension://*"; on Linux: add Environment="OLLAMA_ORIGINS=chrome-extension://*" to the ollama service), then start Ollama again.';
  const key = 'Otherwise check the API key in AI settings.';
  return `The endpoint at ${u.host} refused the request (HTTP 403${detail ? `: ${detail}` : ''}). ${looksLikeOllama ? `${ollama} ${key}` : `${key} ${ollama}`}`;
}

async function httpError(response: Response, baseUrl: string): Promise<EngineError> {
  const detail = await errorDetail(response, true);
  const suffix = detail ? ` (${detail})` : '';
  if (response.status === 403) return new EngineError('unauthorized', explainForbidden(baseUrl, detail));
  if (response.status === 401) return new EngineError('unauthorized', `The endpoint wants a valid API key: set it in AI settings${suffix}.`);
  if (response.status === 404) return new EngineError('unavailable', `The endpoint has no chat completions at ${chatUrl(baseUrl)}, or does not know this model: check the base URL (it usually ends in /v1) and the model name${suffix}.`);
  if (response.status === 429) return new EngineError('rate-limited', `The endpoint says too many requests; try again in a moment${suffix}.`);
  return new EngineError('generation-failed', `The endpoint failed to answer (HTTP ${response.status})${suffix}.`);
}

/** The text of one streamed chunk; `done` at [DONE]; an `error` object mid-stream becomes an error. */
export function deltaOf(data: string): { token?: string; done?: boolean; error?: string } {
  if (data.trim() === '[DONE]') return { done: true };
  let parsed: { choices?: { delta?: { content?: unknown }; message?: { content?: unknown } }[]; error?: { message?: string } | string };
  try {
    parsed = JSON.parse(data);
  } catch {
    return {};
  }
  if (parsed.error) return { error: typeof parsed.error === 'string' ? parsed.error : (parsed.error.message ?? 'unknown error') };
  const choice = parsed.choices?.[0];
  const content = choice?.delta?.content ?? choice?.message?.content;
  return typeof content === 'string' && content ? { token: content } : {};
}

export class OpenAiCompatibleEngine implements Engine {
  readonly id = 'openai-compatible' as const;
  readonly label = 'Your OpenAI-compatible endpoint';
  /** Not statically local: whether it is depends on the address (see permits). */
  readonly local = false;

  constructor(private readonly options: OpenAiCompatibleOptions) {}

  /** A loopback endpoint is allowed under "local only"; any other host only when sending is allowed. */
  async permits(privacy: Privacy): Promise<boolean> {
    const { endpoint } = await this.options.config();
    return privacy === 'allow-worker' || (endpoint !== null && isLoopback(endpoint.baseUrl));
  }

  async modelName(): Promise<string> {
    return (await this.options.config()).endpoint?.model ?? '';
  }

  async available(): Promise<Availability> {
    const { endpoint, privacy } = await this.options.config();
    if (!endpoint) return { status: 'unavailable', reason: 'No endpoint is set in AI settings.' };
    if (!(await this.permits(privacy))) return { status: 'unavailable', reason: `The privacy setting is “local only” and ${new URL(endpoint.baseUrl).host} is not this machine.` };
    const allowed = await (this.options.hasPermission ?? hasEndpointPermission)(endpoint.baseUrl);
    if (!allowed) return { status: 'unavailable', reason: `Access to ${new URL(endpoint.baseUrl).host} was not granted: save the endpoint again in AI settings to allow it.` };
    return { status: 'available' };
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    const { endpoint, privacy } = await this.options.config();
    if (!endpoint) throw new EngineError('unavailable', 'No endpoint is set in AI settings.');
    if (!(await this.permits(privacy))) {
      throw new EngineError('privacy', `Your privacy setting is “local only”, so nothing is sent to ${new URL(endpoint.baseUrl).host}.`);
    }
    throwIfAborted(options.signal);
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(chatUrl(endpoint.baseUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: endpoint.model, messages: input.messages, stream: true }),
        signal: options.signal,
      });
    } catch (error) {
      const e = toEngineError(error, this.label);
      if (e.code === 'aborted') throw e;
      throw new EngineError(
        'network',
        `Could not reach ${endpoint.baseUrl}. Is the server running${isLoopback(endpoint.baseUrl) ? ' on this machine' : ''}, and is the address right?`,
        error,
      );
    }
    if (!response.ok) throw await httpError(response, endpoint.baseUrl);
    if (!response.body) throw new EngineError('generation-failed', 'The endpoint sent an empty answer.');

    return readSseAnswer(response.body, {
      parse: (_event, data) => deltaOf(data),
      onToken: options.onToken,
      failed: (detail) => new EngineError('generation-failed', `The endpoint failed while answering (${detail}).`),
      label: this.label,
    });
  }
}
