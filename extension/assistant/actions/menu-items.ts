import type { BubbleCommand } from '@shared/schemas/assistant-page';
import { TRANSLATE_LANGUAGES } from './action-prompt';

/**
 * The right-click menu: one list of items, each with the command it sends to the page. Item ids are
 * `calico:<action>[:<option>]`, so the click handler can turn any id back into its command without a
 * lookup table that could drift from the menu.
 */

type Context = `${chrome.contextMenus.ContextType}`;

export interface MenuItem {
  id: string;
  title: string;
  contexts: Context[];
  parentId?: string;
}

const PREFIX = 'calico';
const SELECTION: Context[] = ['selection'];
/** Writing actions work on a selection anywhere and on an editable field (its selection, or all of it). */
const WRITING: Context[] = ['selection', 'editable'];
const PAGE: Context[] = ['page'];

export const TONE_OPTIONS: [string, string][] = [
  ['formal', 'More formal'],
  ['friendly', 'Friendlier'],
  ['concise', 'More concise'],
  ['confident', 'More confident'],
];

const id = (...parts: string[]) => [PREFIX, ...parts].join(':');

export function menuItems(): MenuItem[] {
  return [
    { id: id('save-highlight'), title: 'Save highlight', contexts: SELECTION },
    { id: id('ask'), title: 'Ask about this…', contexts: SELECTION },
    { id: id('explain'), title: 'Explain', contexts: SELECTION },
    { id: id('summarize'), title: 'Summarize', contexts: WRITING },
    { id: id('improve'), title: 'Improve writing', contexts: WRITING },
    { id: id('proofread'), title: 'Proofread', contexts: WRITING },
    { id: id('tone'), title: 'Change tone', contexts: WRITING },
    ...TONE_OPTIONS.map(([option, title]) => ({ id: id('tone', option), title, contexts: WRITING, parentId: id('tone') })),
    { id: id('translate'), title: 'Translate', contexts: WRITING },
    ...Object.entries(TRANSLATE_LANGUAGES).map(([code, name]) => ({ id: id('translate', code), title: name, contexts: WRITING, parentId: id('translate') })),
    { id: id('find-references'), title: 'Find references in my memory', contexts: SELECTION },
    { id: id('outline-to-prose'), title: 'Outline → prose (from my highlights)', contexts: WRITING },
    { id: id('summarize-page'), title: 'Summarize this page', contexts: PAGE },
    { id: id('ask', 'page'), title: 'Ask about this page…', contexts: PAGE },
    // Generative images (extension/assistant/images): opens the image composer at the caret.
    { id: id('image'), title: 'Generate image…', contexts: ['editable'] },
  ];
}

const ACTIONS = new Set<string>(['save-highlight', 'ask', 'explain', 'summarize', 'summarize-page', 'improve', 'proofread', 'tone', 'translate', 'find-references', 'outline-to-prose']);

/** The command a menu item id stands for, or null for an id that isn't ours (or a submenu parent). */
export function commandOf(menuItemId: string | number): Pick<BubbleCommand, 'action' | 'option'> | null {
  const [prefix, action, option = ''] = String(menuItemId).split(':');
  if (prefix !== PREFIX || !action || !ACTIONS.has(action)) return null;
  // "Change tone" and "Translate" are parents: Chrome never reports a click on them, but be sure.
  if ((action === 'tone' || action === 'translate') && !option) return null;
  return { action: action as BubbleCommand['action'], option };
}
