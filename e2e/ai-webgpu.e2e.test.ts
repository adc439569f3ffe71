import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchBrowser, type ExtensionBrowser } from './support/browser';
import { click, openSurface, tid } from './support/surfaces';
import { waitFor } from './support/wait';
import { NetworkLog } from './ai-support';

// Issue 4: the WebLLM path in Chromium with --enable-unsafe-webgpu (a software SwiftShader adapter), as
// far as it goes without weights: WebGPU and an adapter are found, a device can be created, WebLLM is
// offered as "needs a download", and the download — which cannot reach the model host here — fails
// with an error in words. Generating with real weights is not exercised on these machines.
describe('WebLLM on a software WebGPU adapter', () => {
  let eb: ExtensionBrowser;
  let options: Page;
  let network: NetworkLog;

  beforeAll(async () => {
    eb = await launchBrowser({ args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'] });
    network = new NetworkLog(eb);
    await network.start();
    options = await openSurface(eb, 'options.html');
  });
  afterAll(async () => {
    await network?.stop();
    await eb?.close();
  });

  test('an extension page gets a WebGPU adapter and device', async () => {
    const gpu = await options.evaluate(async () => {
      const nav = navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string }; requestDevice(): Promise<{ destroy(): void }> } | null> } };
      if (!nav.gpu) return { api: false };
      const adapter = await nav.gpu.requestAdapter();
      if (!adapter) return { api: true, adapter: false };
      const device = await adapter.requestDevice();
      device.destroy();
      return { api: true, adapter: true, device: true, info: `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''}` };
    });
    expect(gpu).toMatchObject({ api: true, adapter: true, device: true });
  });

  test('WebLLM is offered as needing a download, not chosen on its own', async () => {
    const status = await waitFor(
      () => options.$eval(`${tid('ai-engine-status')}[data-engine="webllm"]`, (el) => el.getAttribute('data-status')),
      (v) => v !== 'checking',
      { timeout: 60_000, message: 'WebLLM availability' },
    );
    expect(status).toBe('downloadable');
    // The choice is shown once every permitted engine has answered (the direct endpoint's check included).
    await options.waitForSelector(tid('ai-engine-chosen'), { timeout: 60_000 });
    expect(await options.$eval(tid('ai-engine-chosen'), (el) => el.getAttribute('data-engine'))).toBe('extractive');
  });

  test('the model download fails here, and says so in words', async () => {
    await click(options, 'ai-webllm-download');
    const message = await waitFor(
      () => options.$eval(tid('ai-webllm-error'), (el) => el.textContent ?? '').catch(() => ''),
      (text) => text.length > 0,
      { timeout: 90_000, message: 'the WebLLM download error' },
    );
    expect(message).toMatch(/WebLLM could not load its model|WebLLM ran out of memory/);
    // The only requests that left were the user-requested weight download (GETs to the model host),
    // never page text.
    const outside = network.outside();
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((e) => /huggingface\.co|raw\.githubusercontent\.com|hf\.co/.test(e.url))).toBe(true);
  });
});
