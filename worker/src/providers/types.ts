import type { ChatMessage } from '../../../shared/schemas/cloud';

/**
 * One interface in front of every text generator the worker can use. `open` resolves once the
 * upstream accepted the request (so an upstream refusal becomes a JSON error before any SSE is sent),
 * then the parts stream as they arrive. Aborting `signal` must stop the upstream request: that is how
 * a client that hangs up, or a timeout, stops paying for tokens nobody reads.
 */
export type StreamPart = { type: 'delta'; text: string } | { type: 'finish'; reason: 'stop' | 'length' };

export interface GenerateRequest {
  messages: ChatMessage[];
  maxTokens: number;
  signal: AbortSignal;
}

export interface ChatProvider {
  readonly name: string;
  open(request: GenerateRequest): Promise<AsyncIterable<StreamPart>>;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly upstreamStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
