import { sseParts } from './sse-parts';
import { ProviderError, type ChatProvider, type GenerateRequest, type StreamPart } from './types';

/**
 * Any OpenAI-compatible chat endpoint (OpenAI, Ollama, llama.cpp server, vLLM, …): base URL + optional
 * key + model. A thin client on fetch + eventsource-parser rather than the Vercel AI SDK: the worker
 * needs exactly one call (streamed chat completions) with exact control over abort and timeouts, and
 * this keeps the bundle and its behaviour in workerd and Node identical and small.
 */
export class OpenAiCompatibleProvider implements ChatProvider {
  readonly name = 'openai-compatible';

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly model: string,
  ) {}

  async open(request: GenerateRequest): Promise<AsyncIterable<StreamPart>> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, messages: request.messages, stream: true, max_tokens: request.maxTokens }),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw new ProviderError(`the model endpoint could not be reached (${String(error)})`);
    }
    if (!response.ok || !response.body) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new ProviderError(`the model endpoint answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`, response.status);
    }
    return sseParts(response.body, request.signal);
  }
}
