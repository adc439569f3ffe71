/**
 * Errors a person can read. Engines fail in many ways (a WebGPU device lost, a 404 on model weights, a
 * 429 from the worker, a quota error from the Cache API); the side panel shows `message` as is, so it
 * says what happened and what to do, not a stack trace.
 */

export type EngineErrorCode =
  | 'aborted'
  | 'unavailable'
  | 'privacy'
  | 'model-load-failed'
  | 'out-of-memory'
  | 'quota'
  | 'rate-limited'
  | 'network'
  | 'unauthorized'
  | 'generation-failed';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

function rawMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Maps whatever an engine threw onto an EngineError with words a person understands. */
export function toEngineError(error: unknown, engineLabel: string, phase: 'load' | 'generate' = 'generate'): EngineError {
  if (error instanceof EngineError) return error;
  const raw = rawMessage(error);
  const text = raw.toLowerCase();
  if ((error as { name?: string })?.name === 'AbortError' || text.includes('aborted')) {
    return new EngineError('aborted', 'Stopped.', error);
  }
  if (text.includes('quotaexceeded') || text.includes('quota')) {
    return new EngineError('quota', `${engineLabel}: the browser has no storage left for the model (quota exceeded). Free some disk space or remove other site data, then try again.`, error);
  }
  if (text.includes('out of memory') || text.includes('outofmemory') || text.includes('device lost') || text.includes('devicelost') || text.includes('allocation')) {
    return new EngineError('out-of-memory', `${engineLabel} ran out of memory. Close other tabs or pick a smaller model, then try again.`, error);
  }
  if (phase === 'load' || text.includes('failed to fetch') || text.includes('networkerror') || text.includes('404')) {
    return new EngineError('model-load-failed', `${engineLabel} could not load its model (${raw.slice(0, 200)}).`, error);
  }
  return new EngineError('generation-failed', `${engineLabel} failed while answering (${raw.slice(0, 200)}).`, error);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('aborted', 'Stopped.');
}
