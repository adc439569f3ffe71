import { sseParts } from './sse-parts';
import { ProviderError, type ChatProvider, type GenerateRequest, type StreamPart } from './types';

/**
 * Workers AI through its binding (`env.AI.run` with `stream: true` returns an SSE byte stream).
 * Not through `workers-ai-provider`: that package adapts the binding to the Vercel AI SDK, which this
 * worker doesn't use (see openai-compatible.ts); the binding's stream is read by the same SSE reader
 * as the OpenAI-compatible one, so both providers behave the same on abort and timeout.
 */
export class WorkersAiProvider implements ChatProvider {
  readonly name = 'workers-ai';

  constructor(
    private readonly ai: Ai,
    private readonly model: string,
  ) {}

  async open(request: GenerateRequest): Promise<AsyncIterable<StreamPart>> {
    let stream: unknown;
    try {
      stream = await (this.ai.run as (model: string, inputs: unknown, options?: unknown) => Promise<unknown>)(this.model, {
        messages: request.messages,
        stream: true,
        max_tokens: request.maxTokens,
      });
    } catch (error) {
      throw new ProviderError(`Workers AI refused the request (${String(error)})`);
    }
    if (!(stream instanceof ReadableStream)) throw new ProviderError('Workers AI did not stream');
    return sseParts(stream as ReadableStream<Uint8Array>, request.signal);
  }
}
