// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from 'vue';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import FirstRunCard from './FirstRunCard.vue';
import { FIRST_RUN_KEY } from '@/assistant/onboarding/first-run';

const settle = () => new Promise((r) => setTimeout(r, 20));

function mount(): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  createApp(FirstRunCard).mount(host);
  return host;
}

describe('first-run card', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    document.body.innerHTML = '';
  });

  it('explains capture, highlighting, asking and privacy until dismissed, and stays dismissed', async () => {
    const host = mount();
    await settle();
    const card = host.querySelector('[data-testid=first-run-card]');
    expect(card?.textContent).toMatch(/What is kept/);
    expect(card?.textContent).toMatch(/Highlight/);
    expect(card?.textContent).toMatch(/Ask/);
    expect(card?.querySelector('[data-testid=first-run-options]')).not.toBeNull();
    (host.querySelector('[data-testid=first-run-dismiss]') as HTMLButtonElement).click();
    await settle();
    expect(host.querySelector('[data-testid=first-run-card]')).toBeNull();
    expect((await chrome.storage.local.get(FIRST_RUN_KEY))[FIRST_RUN_KEY]).toBe(true);
    const again = mount();
    await settle();
    expect(again.querySelector('[data-testid=first-run-card]')).toBeNull();
  });
});
