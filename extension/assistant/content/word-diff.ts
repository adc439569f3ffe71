import { diffWords } from 'diff';

/**
 * What a rewrite changed, word by word (jsdiff's diffWords), as parts to render with textContent — a
 * rewrite is model output and the original is page text, so neither ever becomes HTML. Very long texts
 * would make the diff slow (it is quadratic in the worst case); past the cap the diff says so instead.
 */

export interface DiffPart {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

export const MAX_DIFF_CHARS = 20_000;

export function wordDiff(before: string, after: string): DiffPart[] | null {
  if (before.length + after.length > MAX_DIFF_CHARS * 2) return null;
  const changes = diffWords(before, after);
  const parts: DiffPart[] = [];
  for (const change of changes) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ text: change.value, kind });
  }
  return parts;
}

/** Counts for the diff's one-line summary ("3 words changed"). */
export function changedWords(parts: readonly DiffPart[]): { added: number; removed: number } {
  const count = (kind: DiffPart['kind']) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
  return { added: count('added'), removed: count('removed') };
}
