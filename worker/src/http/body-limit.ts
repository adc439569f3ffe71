import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

function tooLarge(maxSize: number): ApiError {
  return new ApiError('payload_too_large', `request body over ${maxSize} bytes`);
}

/**
 * Refuses a body over `maxSize` bytes with 413, at once. A declared Content-Length over the limit is
 * refused before reading; a body without one (chunked) is read up to the limit and, past it, its
 * stream is cancelled. Cancelling matters: hono/body-limit stops reading but leaves the stream open,
 * and the local runtime then waits on the abandoned upload for about a minute before it answers
 * anything else.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(declared) > maxSize) {
        await body.cancel('request body over the limit').catch(() => undefined);
        throw tooLarge(maxSize);
      }
      return next();
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxSize) {
        await reader.cancel('request body over the limit').catch(() => undefined);
        throw tooLarge(maxSize);
      }
      chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };
}
