import type { Context } from 'hono';
import { intVar } from '../env';
import type { AppEnv } from './context';

/**
 * The one AbortSignal of a streamed answer: it fires on whichever comes first — the client hanging up
 * (call `hangUp.abort()` from stream.onAbort, or the request's own signal), or CHAT_TIMEOUT_MS. Aborting
 * it stops the upstream model request, so nothing keeps generating for a reader that's gone.
 */
export interface StreamSignal {
  signal: AbortSignal;
  hangUp: AbortController;
  timeout: AbortSignal;
  timeoutMs: number;
}

export function streamSignal(c: Context<AppEnv>): StreamSignal {
  const hangUp = new AbortController();
  const timeoutMs = intVar(c.env.CHAT_TIMEOUT_MS, 120_000);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [hangUp.signal, timeout];
  if (c.req.raw.signal) signals.push(c.req.raw.signal);
  return { signal: AbortSignal.any(signals), hangUp, timeout, timeoutMs };
}
