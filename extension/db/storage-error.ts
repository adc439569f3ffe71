/**
 * Storage failures the user must hear about. Dexie wraps the browser's DOMException; we map the few
 * that matter to one error type with a message a person can act on.
 */
export class StorageError extends Error {
  constructor(
    readonly code: 'quota' | 'closed' | 'unknown',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { inner?: unknown; cause?: unknown }).inner ?? (e as { cause?: unknown }).cause) {
    const name = (e as { name?: string }).name;
    if (name === 'QuotaExceededError' || name === 'QuotaExceeded') return true;
    if (e === (e as { inner?: unknown }).inner) break;
  }
  return false;
}

/** Turns any storage failure into a StorageError; rethrows other errors unchanged. */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error)) {
    return new StorageError(
      'quota',
      'The browser has no room left for CalicoLobster’s data. Free disk space or delete old pages in Options; nothing already saved was changed.',
      { cause: error },
    );
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'DatabaseClosedError') {
    return new StorageError('closed', 'The local database was closed while saving; please retry.', { cause: error });
  }
  return error;
}
