import type { Generator } from '../../../shared/serving/types';
import type { ChatProvider } from '../providers/types';

/**
 * The worker's chat provider as the pipeline's Generator: the prompt goes up as messages, the streamed
 * parts come back through onToken, the whole text is the answer. Aborting the signal stops the upstream
 * request, as for a plain /v1/chat.
 */
export function providerGenerator(provider: ChatProvider, model: string, maxTokens: number): Generator & { finishReason: () => 'stop' | 'length' } {
  let finish: 'stop' | 'length' = 'stop';
  return {
    id: 'worker',
    label: `the worker's model (${provider.name})`,
    model,
    finishReason: () => finish,
    async generate(messages, options) {
      const parts = await provider.open({ messages: messages.filter((m) => m.content.length > 0), maxTokens, signal: options.signal ?? new AbortController().signal });
      let text = '';
      for await (const part of parts) {
        if (part.type === 'delta') {
          text += part.text;
          options.onToken?.(part.text);
        } else finish = part.reason;
      }
      return text;
    },
  };
}
