/**
 * Whitespace-collapsed views of a string with a map back to the original offsets.
 *
 * Pages re-flow: a CMS re-indents its HTML, a paragraph gains a line break, `&nbsp;` becomes a space.
 * None of that changes what the reader sees, so the fuzzy quote search runs on collapsed text (every
 * run of whitespace → one space) and such edits cost no errors at all; the budget is kept for real
 * edits to the words.
 */

export interface Collapsed {
  text: string;
  /** map[i] = offset in the original string of collapsed character i; map[text.length] = original length. */
  map: Int32Array;
}

const WS = /\s/;

export function collapseWhitespace(original: string): Collapsed {
  const out: string[] = [];
  const map = new Int32Array(original.length + 1);
  let n = 0;
  let inSpace = false;
  for (let i = 0; i < original.length; i++) {
    const ch = original[i]!;
    if (WS.test(ch)) {
      if (inSpace) continue;
      inSpace = true;
      out.push(' ');
    } else {
      inSpace = false;
      out.push(ch);
    }
    map[n++] = i;
  }
  map[n] = original.length;
  return { text: out.join(''), map: map.subarray(0, n + 1) };
}

/** Collapsed and trimmed: the form a quote or its context is compared in. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
