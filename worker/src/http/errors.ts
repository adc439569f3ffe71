import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { ApiErrorBody, ErrorCode } from '../../../shared/schemas/cloud';

/**
 * The one error type routes throw. app.onError turns it (and anything else) into the JSON body of
 * shared/schemas/cloud.ts, so clients can rely on one shape and a stable `code`.
 */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 429,
  provider_unavailable: 503,
  provider_error: 502,
  internal: 500,
  unprocessable: 422,
  unavailable: 503,
};

export interface Issue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }

  static fromZod(error: ZodError, what = 'request'): ApiError {
    const issues = error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    const first = issues[0];
    // A record past the shared schema's size bound is "too large" (413), not malformed.
    const tooLarge = error.issues.length > 0 && error.issues.every((i) => / bytes as JSON; at most \d+ fit$/.test(i.message));
    return new ApiError(tooLarge ? 'payload_too_large' : 'bad_request', `invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, issues);
  }
}

export function errorBody(error: ApiError, requestId: string): ApiErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}), requestId } };
}

/** Maps anything thrown to an ApiError. Unknown errors become 500 and are logged; their text is not
 * sent, since it may name internals. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    const code: ErrorCode =
      error.status === 413 ? 'payload_too_large' : error.status === 401 ? 'unauthorized' : error.status === 404 ? 'not_found' : error.status < 500 ? 'bad_request' : 'internal';
    return new ApiError(code, error.message || 'request refused');
  }
  return new ApiError('internal', 'internal error');
}

export function respondError(c: Context, error: ApiError): Response {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  return c.json(errorBody(error, requestId), error.status as 400, error.headers);
}
