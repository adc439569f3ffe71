// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createApp, h } from 'vue';
import UiButton from './UiButton.vue';

function mount(props: Record<string, unknown>, onClick?: () => void): HTMLButtonElement {
  const host = document.createElement('div');
  document.body.append(host);
  createApp({ render: () => h(UiButton, { ...props, onClick }, () => 'Save') }).mount(host);
  return host.querySelector('button')!;
}

describe('UiButton', () => {
  it('is a plain type="button" by default, passing test ids, disabled and clicks through', () => {
    let clicks = 0;
    const b = mount({ 'data-testid': 'x-save', disabled: false }, () => clicks++);
    expect(b.type).toBe('button');
    expect(b.dataset.testid).toBe('x-save');
    expect(b.textContent).toBe('Save');
    expect(b.className).toContain('border-slate-300');
    b.click();
    expect(clicks).toBe(1);
    expect(mount({ disabled: true }).disabled).toBe(true);
  });

  it('submits forms when asked, and each variant has its own look', () => {
    expect(mount({ type: 'submit' }).type).toBe('submit');
    const looks = ['primary', 'secondary', 'danger', 'danger-outline'].map((variant) => mount({ variant }).className);
    expect(new Set(looks).size).toBe(4);
    expect(looks[0]).toContain('bg-sky-600');
    expect(looks[2]).toContain('bg-red-600');
  });
});
