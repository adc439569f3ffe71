import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { StreamPart } from './types';

/**
 * Both backends answer with server-sent events: OpenAI-compatible servers send
 * `data: {"choices":[{"delta":{"content":"…"},"finish_reason":null}]}` … `data: [DONE]`; Workers AI
 * sends `data: {"response":"…"}` … `data: [DONE]` (newer models use the OpenAI shape). One reader
 * handles both. eventsource-parser does the SSE framing (multi-line data, comments, chunk boundaries
 * anywhere) — the part that is easy to get subtly wrong by hand.
 */
export async function* sseParts(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<StreamPart> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  let reason: 'stop' | 'length' = 'stop';
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      const { value, done } = await reader.read();
      if (done) break;
      if (value.data === '[DONE]') break;
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(value.data) as Record<string, unknown>;
      } catch {
        continue; // keep-alives and non-JSON comments carry no text
      }
      if (json.error) {
        const e = json.error as { message?: string } | string;
        throw new Error(typeof e === 'string' ? e : (e.message ?? 'upstream error'));
      }
      const choice = (json.choices as { delta?: { content?: unknown }; finish_reason?: unknown }[] | undefined)?.[0];
      const text = typeof choice?.delta?.content === 'string' ? choice.delta.content : typeof json.response === 'string' ? json.response : '';
      if (choice?.finish_reason === 'length') reason = 'length';
      if (text) yield { type: 'delta', text };
    }
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    yield { type: 'finish', reason };
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => undefined);
  }
}
