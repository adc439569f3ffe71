// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from 'vue';
import type { UsageResponse } from '@shared/schemas/monitoring';
import { fetchUsage } from './usage-client';
import UsagePanel from './UsagePanel.vue';

const bucket = (t: number, requests: number, errors: number) => ({ t, requests, errors, errorRate: requests ? errors / requests : 0, p50: 40, p95: 90, tokensIn: 10, tokensOut: 25, rated: 0, down: 0, downRate: null });
const usage: UsageResponse = { bucketMs: 3_600_000, from: 0, to: 7_200_000, overall: [bucket(0, 3, 1), bucket(3_600_000, 2, 0)], routes: {}, models: {} };

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  document.body.textContent = '';
});
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('your usage (options page)', () => {
  it('asks the worker with the device token and validates the answer', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetcher = (async (url: string, init?: RequestInit) => {
      seen.push({ url, auth: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify(usage));
    }) as typeof fetch;
    const config = Promise.resolve({ workerUrl: 'http://127.0.0.1:8787', enabled: true, account: { userId: 'u', deviceId: 'd', token: 'clt_x', expiresAt: 1, deviceName: 'L' } });
    expect(await fetchUsage(fetcher, config)).toEqual(usage);
    expect(seen).toEqual([{ url: 'http://127.0.0.1:8787/v1/usage/activity', auth: 'Bearer clt_x' }]);
    expect(await fetchUsage(fetcher, Promise.resolve({ workerUrl: 'http://x', enabled: true, account: null }))).toBeNull();
    const bad = (async () => new Response('{"overall": "nope"}')) as unknown as typeof fetch;
    await expect(fetchUsage(bad, config)).rejects.toThrow();
  });

  it('shows the totals, or says why not', async () => {
    const host = document.body.appendChild(document.createElement('div'));
    app = createApp(UsagePanel, { load: async () => usage });
    app.mount(host);
    await settle();
    expect(document.querySelector('[data-testid="usage-totals"]')!.textContent).toContain('5 requests, 1 failed, ≈50 tokens');
    app.unmount();
    app = createApp(UsagePanel, { load: async () => null });
    app.mount(host);
    await settle();
    expect(document.querySelector('[data-testid="usage-panel"]')!.getAttribute('data-state')).toBe('signed-out');
  });
});
