// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createApp, nextTick } from 'vue';
import { createPinia } from 'pinia';
import { useStatusStore } from '@/stores/status-store';
import StorageErrorBanner from './StorageErrorBanner.vue';

describe('storage error banner', () => {
  it('shows a quota failure from an action and can be dismissed', async () => {
    const pinia = createPinia();
    const host = document.createElement('div');
    document.body.append(host);
    const app = createApp(StorageErrorBanner).use(pinia);
    app.mount(host);
    const status = useStatusStore(pinia);
    expect(host.querySelector('[data-testid=storage-error]')).toBeNull();

    const quota = Object.assign(new Error('Dexie wrapper'), { name: 'AbortError', inner: Object.assign(new Error('full'), { name: 'QuotaExceededError' }) });
    const original = console.error;
    console.error = () => {};
    await status.guard(async () => {
      throw quota;
    });
    console.error = original;
    await nextTick();
    const banner = host.querySelector('[data-testid=storage-error]');
    expect(banner?.textContent).toMatch(/no room left/);

    (banner!.querySelector('button') as HTMLButtonElement).click();
    await nextTick();
    expect(host.querySelector('[data-testid=storage-error]')).toBeNull();
    app.unmount();
  });
});
