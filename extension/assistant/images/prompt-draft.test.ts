import { describe, expect, it } from 'vitest';
import { draftImagePrompt, opening } from './prompt-draft';

describe('draftImagePrompt', () => {
  it('drafts “an illustration for this post” from the selected text, whitespace squashed', () => {
    expect(draftImagePrompt({ text: 'Tide pools\n\n at  low water', pageTitle: 'Ignored title' })).toBe('An illustration for this post: Tide pools at low water');
  });

  it('falls back to the page’s title and opening when nothing is selected', () => {
    expect(draftImagePrompt({ text: '  ', pageTitle: 'Notes on tides', pageText: 'Spring tides come when the sun and the moon pull in line.' })).toBe(
      'An illustration for this post about “Notes on tides”: Spring tides come when the sun and the moon pull in line.',
    );
    expect(draftImagePrompt({})).toBe('An illustration for this post');
  });

  it('keeps a long subject short, cut at a sentence or a word', () => {
    const long = `${'First sentence is here. '.repeat(30)}`;
    const cut = opening(long, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut.endsWith('.')).toBe(true);
    const words = opening('word '.repeat(200), 50);
    expect(words.endsWith('…')).toBe(true);
    expect(draftImagePrompt({ text: 'x'.repeat(10_000) }).length).toBeLessThanOrEqual(2000);
  });
});
