import { EngineError, throwIfAborted, toEngineError } from './errors';
import { errorDetail, readSseAnswer } from './sse-stream';
import type { Availability, Engine, GenerateOptions, GenerationInput, Privacy } from './types';

/**
 * Generation on the user's own worker (`POST /v1/chat`, answered as server-sent events). It is the one
 * engine that sends page text off the device, so it re-checks the privacy setting itself right before
 * each request: the chooser excluding it is not the only guard.
 */

export interface WorkerConfig {
  privacy: Privacy;
  /** Base URL of the worker, e.g. http://127.0.0.1:8787; null when none is configured. */
  baseUrl: string | null;
  token: string | null;
}

export interface WorkerEngineOptions {
  config: () => Promise<WorkerConfig>;
  fetch?: typeof fetch;
}

/** Pulls the text of one SSE message, whatever shape the worker chose for its token events. */
export function tokenOf(event: string | undefined, data: string): { token?: string; done?: boolean; error?: string } {
  if (event === 'done' || data === '[DONE]') return { done: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return event === 'error' ? { error: data } : { token: data };
  }
  if (typeof parsed === 'string') return event === 'error' ? { error: parsed } : { token: parsed };
  const o = (parsed ?? {}) as Record<string, unknown>;
  if (event === 'error' || o.error) {
    const e = o.error as { message?: string } | string | undefined;
    return { error: typeof e === 'string' ? e : (e?.message ?? (o.message as string | undefined) ?? 'the worker reported an error') };
  }
  if (o.done === true) return { done: true };
  for (const field of ['delta', 'token', 'text', 'content', 'response'] as const) {
    if (typeof o[field] === 'string') return { token: o[field] as string };
  }
  const choice = (o.choices as { delta?: { content?: string } }[] | undefined)?.[0];
  if (typeof choice?.delta?.content === 'string') return { token: choice.delta.content };
  return {};
}

async function httpError(response: Response): Promise<EngineError> {
  // A body that is not JSON adds nothing a person can use.
  const detail = await errorDetail(response);
  const suffix = detail ? ` (${detail})` : '';
  if (response.status === 401 || response.status === 403) return new EngineError('unauthorized', `The worker refused the request: sign in to sync again${suffix}.`);
  if (response.status === 429) return new EngineError('quota', `The worker's usage quota is used up for now; try again later${suffix}.`);
  if (response.status === 404) return new EngineError('unavailable', `This worker has no chat endpoint${suffix}.`);
  return new EngineError('generation-failed', `The worker failed to answer (HTTP ${response.status})${suffix}.`);
}

export class WorkerEngine implements Engine {
  readonly id = 'worker' as const;
  readonly label = 'Your worker';
  readonly local = false;

  constructor(private readonly options: WorkerEngineOptions) {}

  async available(): Promise<Availability> {
    const config = await this.options.config();
    if (config.privacy !== 'allow-worker') return { status: 'unavailable', reason: 'The privacy setting is “local only”.' };
    if (!config.baseUrl) return { status: 'unavailable', reason: 'No worker is configured.' };
    return { status: 'available' };
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    const config = await this.options.config();
    if (config.privacy !== 'allow-worker') {
      throw new EngineError('privacy', 'Your privacy setting is “local only”, so nothing is sent to the worker.');
    }
    if (!config.baseUrl) throw new EngineError('unavailable', 'No worker is configured.');
    throwIfAborted(options.signal);
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(new URL('/v1/chat', config.baseUrl).toString(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
        },
        body: JSON.stringify({ messages: input.messages, stream: true, ...(input.template ? { template: input.template } : {}) }),
        signal: options.signal,
      });
    } catch (error) {
      const e = toEngineError(error, this.label);
      if (e.code === 'aborted') throw e;
      throw new EngineError('network', `Could not reach the worker at ${config.baseUrl}.`, error);
    }
    if (!response.ok) throw await httpError(response);
    if (!response.body) throw new EngineError('generation-failed', 'The worker sent an empty answer.');

    return readSseAnswer(response.body, {
      parse: tokenOf,
      onToken: options.onToken,
      failed: (detail) => new EngineError('generation-failed', `The worker failed while answering (${detail}).`),
      label: this.label,
    });
  }
}
