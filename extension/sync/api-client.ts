import { z } from 'zod';
import { ApiErrorBody, DeviceCredentials, DeviceList, Me, PairingCode, type Device } from '@shared/schemas/cloud';
import { PullResponse, PushResponse, type PushRequest } from '@shared/schemas/sync';
import { PlansResponse, RedirectResponse, UsageResponse, type CheckoutRequest } from '@shared/schemas/billing';
import { WebSearchResponse, type WebSearchRequest } from '@shared/schemas/web-search';

/**
 * The worker's HTTP API as the extension uses it (accounts, pairing, devices, push, pull). Responses are
 * validated with the shared schemas; every failure becomes a SyncApiError that says whether trying
 * again later can help (network down, 5xx, 429) or not (bad token, bad request).
 */

export class SyncApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the worker could not be reached at all. */
    readonly status: number,
    readonly code: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SyncApiError';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient({ baseUrl, token = null, fetch: doFetch = (...a) => globalThis.fetch(...a), timeoutMs = 30_000 }: ApiClientOptions) {
  const root = baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(`${root}/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (signal?.aborted) throw new SyncApiError('Stopped.', 0, 'aborted');
      const reason = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : 'unreachable';
      throw new SyncApiError(`The sync server at ${root} is ${reason}.`, 0, 'network');
    }
    const text = await response.text().catch(() => '');
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: handled below
    }
    if (!response.ok) {
      const parsed = ApiErrorBody.safeParse(json);
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new SyncApiError(
        parsed.success ? parsed.data.error.message : `The sync server answered ${response.status}.`,
        response.status,
        parsed.success ? parsed.data.error.code : 'http',
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SyncApiError(`Unexpected answer from ${path}: ${z.prettifyError(parsed.error).slice(0, 200)}`, 502, 'bad_response');
    return parsed.data;
  }

  return {
    health: () => call('GET', '/health', z.object({ ok: z.boolean() })),
    createAccount: (deviceName: string) => call('POST', '/accounts', DeviceCredentials, { deviceName }),
    join: (code: string, deviceName: string) => call('POST', '/pairing/join', DeviceCredentials, { code, deviceName }),
    me: () => call('GET', '/me', Me),
    createPairingCode: () => call('POST', '/pairing', PairingCode),
    devices: async (): Promise<Device[]> => (await call('GET', '/devices', DeviceList)).devices,
    revokeDevice: (id: string) => call('DELETE', `/devices/${encodeURIComponent(id)}`, z.object({ revoked: z.boolean() })),
    push: (request: PushRequest) => call('POST', '/sync/push', PushResponse, request),
    pull: (cursor: string, limit: number) =>
      call('GET', `/sync/pull?${new URLSearchParams({ cursor, limit: String(limit), vectors: '0' })}`, PullResponse),
    plans: () => call('GET', '/billing/plans', PlansResponse),
    usage: () => call('GET', '/usage', UsageResponse),
    checkout: (plan: CheckoutRequest['plan']) => call('POST', '/billing/checkout', RedirectResponse, { plan }),
    billingPortal: () => call('POST', '/billing/portal', RedirectResponse),
    deleteAccount: () => call('DELETE', '/account', z.object({ deleted: z.literal(true) })),
    /** Grounded answers: the worker's web search (503 provider_unavailable when none is configured). */
    webSearch: (request: WebSearchRequest, signal?: AbortSignal) => call('POST', '/web-search', WebSearchResponse, request, signal),
  };
}
