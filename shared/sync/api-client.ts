import { z } from 'zod';
import { ApiErrorBody, DeviceCredentials, DeviceList, Me, PairingCode, type ErrorCode } from '../schemas/cloud';
import { PullResponse, PushResponse, type PullQuery, type PushRequestInput } from '../schemas/sync';

/**
 * A typed client of the worker's JSON API (everything but the SSE routes), for the extension's sync
 * and options code and for tests. Every response is parsed with the shared schema, so a worker of a
 * different version fails loudly here rather than corrupting local data. Errors come back as
 * CloudApiError with the worker's stable `code`; `retryable` says whether backing off and retrying
 * can help (network errors, 429, 5xx) or not (400/401/403/404/409/413).
 */

const ApiOk = z.object({ revoked: z.boolean() });

export class CloudApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'bad_response',
    message: string,
    /** Seconds, from Retry-After on 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'CloudApiError';
  }

  get retryable(): boolean {
    return this.code === 'network' || this.status === 429 || this.status >= 500;
  }

  /** The token no longer works (revoked or expired): the device must pair again. */
  get signedOut(): boolean {
    return this.status === 401;
  }
}

export interface CloudClientOptions {
  /** e.g. http://127.0.0.1:8787 */
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export class CloudClient {
  constructor(private readonly options: CloudClientOptions) {}

  withToken(token: string): CloudClient {
    return new CloudClient({ ...this.options, token });
  }

  private async request<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<z.infer<S>> {
    const doFetch = this.options.fetch ?? fetch;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await doFetch(new URL(path, this.options.baseUrl).toString(), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CloudApiError(0, 'network', `could not reach the worker at ${this.options.baseUrl} (${String(error)})`);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new CloudApiError(response.status, response.ok ? 'bad_response' : 'internal', `the worker sent a non-JSON answer (HTTP ${response.status})`);
    }
    if (!response.ok) {
      const parsed = ApiErrorBody.safeParse(json);
      const retryAfter = Number(response.headers.get('retry-after')) || null;
      if (parsed.success) throw new CloudApiError(response.status, parsed.data.error.code, parsed.data.error.message, retryAfter);
      throw new CloudApiError(response.status, 'internal', `HTTP ${response.status}`, retryAfter);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CloudApiError(response.status, 'bad_response', `unexpected answer from the worker: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  createAccount(deviceName: string) {
    return this.request(DeviceCredentials, 'POST', '/v1/accounts', { deviceName });
  }
  createPairingCode() {
    return this.request(PairingCode, 'POST', '/v1/pairing');
  }
  join(code: string, deviceName: string) {
    return this.request(DeviceCredentials, 'POST', '/v1/pairing/join', { code, deviceName });
  }
  me() {
    return this.request(Me, 'GET', '/v1/me');
  }
  devices() {
    return this.request(DeviceList, 'GET', '/v1/devices');
  }
  async revokeDevice(deviceId: string): Promise<void> {
    await this.request(ApiOk, 'DELETE', `/v1/devices/${encodeURIComponent(deviceId)}`);
  }
  push(request: PushRequestInput, signal?: AbortSignal) {
    return this.request(PushResponse, 'POST', '/v1/sync/push', request, signal);
  }
  pull(query: Partial<Pick<PullQuery, 'cursor' | 'limit'>> & { vectors?: boolean } = {}, signal?: AbortSignal) {
    const params = new URLSearchParams({ cursor: query.cursor ?? '' });
    if (query.limit) params.set('limit', String(query.limit));
    if (query.vectors) params.set('vectors', '1');
    return this.request(PullResponse, 'GET', `/v1/sync/pull?${params}`, undefined, signal);
  }
}
