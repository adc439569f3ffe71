import { EventSourceParserStream } from 'eventsource-parser/stream';
import { EngineError, toEngineError } from './errors';

/**
 * The one reader of streamed answers (server-sent events) every HTTP engine shares: the bytes go
 * through eventsource-parser, each event through the engine's own `parse` (its wire shape), tokens to
 * `onToken` as they come. An error event ends the answer with `failed(detail)`; the stream is always
 * cancelled at the end, so a Stop (abort) or an error closes the connection.
 */

export interface SsePart {
  token?: string;
  done?: boolean;
  error?: string;
}

export interface ReadSseOptions {
  /** One event's text, from its event name and data (engine-specific shapes). */
  parse: (event: string | undefined, data: string) => SsePart;
  onToken?: (token: string) => void;
  /** The error an error event becomes, in the engine's words. */
  failed: (detail: string) => EngineError;
  /** The engine's label, for errors that are not the stream's own. */
  label: string;
}

export async function readSseAnswer(body: ReadableStream<BufferSource>, options: ReadSseOptions): Promise<string> {
  let answer = '';
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const part = options.parse(value.event, value.data);
      if (part.error) throw options.failed(part.error);
      if (part.done) break;
      if (part.token) {
        answer += part.token;
        options.onToken?.(part.token);
      }
    }
  } catch (error) {
    throw toEngineError(error, options.label);
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return answer;
}

/** The message of a JSON error body (`{error: {message}}`, `{error: "…"}` or `{message}`); with
 * `orText`, a body that is not JSON gives its first 200 characters. Empty when nothing is readable. */
export async function errorDetail(response: Response, orText = false): Promise<string> {
  let body: string;
  try {
    body = await response.text();
  } catch {
    return '';
  }
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    return typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? '');
  } catch {
    return orText ? body.trim().slice(0, 200) : '';
  }
}
