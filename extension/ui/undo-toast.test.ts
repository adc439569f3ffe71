// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { h, nextTick } from 'vue';
import { useMountedApp } from '@/test-support/mounted-app';
import { createHighlight } from '@/highlights/repository';
import HighlightActions from './HighlightActions.vue';
import UndoToast from './UndoToast.vue';

// Issue 8, "first ten minutes": deleting a highlight from a side-panel result row can be undone.
const app = useMountedApp();

const settle = async () => {
  for (let i = 0; i < 8; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 5));
  }
};
const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function mount(timeoutMs = 10_000) {
  return app.mount(() => h('div', [h(HighlightActions, { id: 'hl_undo001', color: 'pink', note: 'keep me' }), h(UndoToast, { timeoutMs })]));
}

async function seed() {
  return createHighlight(
    { id: 'hl_undo001', url: 'https://example.com/a', site: 'example.com', pageTitle: 'A', text: 'Two', color: 'pink', note: 'keep me', selectors: [{ type: 'TextQuoteSelector', exact: 'Two', prefix: '', suffix: '' }] },
    app.db(),
  );
}

describe('undo a highlight deleted from the side panel', () => {
  it('shows an Undo toast after the delete, and Undo puts the highlight back as it was', async () => {
    const original = await seed();
    await mount();
    expect(q('undo-toast')).toBeNull();
    q('highlight-delete')!.click();
    await settle();
    expect(await app.db().highlights.get('hl_undo001')).toBeUndefined();
    expect(q('undo-toast')?.textContent).toContain('Highlight deleted');

    q('undo-delete')!.click();
    await settle();
    const back = await app.db().highlights.get('hl_undo001');
    expect(back).toMatchObject({ id: original.id, text: 'Two', color: 'pink', note: 'keep me', url: 'https://example.com/a', createdAt: original.createdAt });
    expect(back!.updatedAt).toBeGreaterThan(original.updatedAt);
    expect(q('undo-toast')).toBeNull();
  });

  it('goes away on its own after a while, leaving the delete in place', async () => {
    await seed();
    await mount(400);
    q('highlight-delete')!.click();
    await settle();
    expect(q('undo-toast')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 600));
    await settle();
    expect(q('undo-toast')).toBeNull();
    expect(await app.db().highlights.get('hl_undo001')).toBeUndefined();
  });
});
