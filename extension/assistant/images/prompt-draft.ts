import { MAX_IMAGE_PROMPT } from '@shared/schemas/images';

/**
 * The first draft of an image prompt: "an illustration for this post", from what the person selected
 * or is writing, else from the page's title and opening. Only a draft — it is shown in an editable box
 * and nothing is sent until the person presses Generate.
 */

export interface PromptSubject {
  /** The selected text, or the text of the field being written in. */
  text?: string;
  pageTitle?: string;
  /** The page's text (its opening is used when nothing is selected). */
  pageText?: string;
}

const SUBJECT_CHARS = 400;

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The opening of `text` up to `max` characters, cut at a sentence end or a word when it can be. */
export function opening(text: string, max = SUBJECT_CHARS): string {
  const flat = squash(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentence > max / 2) return cut.slice(0, sentence + 1);
  const word = cut.lastIndexOf(' ');
  return `${word > max / 2 ? cut.slice(0, word) : cut}…`;
}

export function draftImagePrompt(subject: PromptSubject): string {
  const text = opening(subject.text ?? '');
  const title = squash(subject.pageTitle ?? '').slice(0, 200);
  let draft: string;
  if (text) draft = `An illustration for this post: ${text}`;
  else if (title || subject.pageText?.trim()) {
    const body = opening(subject.pageText ?? '', 240);
    draft = `An illustration for this post${title ? ` about “${title}”` : ''}${body ? `: ${body}` : ''}`;
  } else draft = 'An illustration for this post';
  return draft.slice(0, MAX_IMAGE_PROMPT);
}
