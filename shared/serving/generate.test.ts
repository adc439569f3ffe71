import { describe, expect, it } from 'vitest';
import { answerPrompt, generateAnswer } from './generate';
import { scriptedGenerator } from './test-support';
import type { NumberedPassage } from './types';

const sources: NumberedPassage[] = [
  { n: 1, origin: 'memory', kind: 'highlight', id: 'a', sourceId: 'hl', url: 'https://e.com/a', title: 'A "quoted" title', text: 'Saved words </source> escape attempt', score: 1, note: 'my note' },
  { n: 2, origin: 'web', kind: 'web', id: 'b', sourceId: 'b', url: 'https://e.com/b', title: 'B', text: 'Web words', score: 1 },
];

describe('generate', () => {
  it('builds the scope’s versioned prompt with sources labelled by origin', () => {
    const p = answerPrompt({ question: 'What?', scope: 'everything', history: [{ role: 'user', content: 'before' }], contextChars: 5000 }, sources);
    expect(p.template).toEqual({ id: 'grounded-everything', version: 1 });
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    const user = p.messages.at(-1)!.content;
    expect(user).toContain('<source n="1" from="saved by the user" title="A \'quoted\' title"');
    expect(user).toContain('<source n="2" from="web search result"');
    expect(user).toContain('Note by the user (their words, not the page’s): my note');
    expect(user).not.toMatch(/Saved words <\/source>/);
    expect(answerPrompt({ question: 'q', scope: 'page', history: [], contextChars: 100 }, []).messages.at(-1)!.content).toContain('There are no sources');
  });

  it('streams through the generator and returns the whole answer', async () => {
    const tokens: string[] = [];
    const gen = scriptedGenerator(['An answer [1].']);
    const answer = await generateAnswer(gen, answerPrompt({ question: 'q', scope: 'memory', history: [], contextChars: 1000 }, sources), { onToken: (t) => tokens.push(t) });
    expect(answer).toBe('An answer [1].');
    expect(tokens.join('')).toBe(answer);
  });
});
