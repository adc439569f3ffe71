/**
 * The deepest nesting of arrays and objects in a JSON text, found by one pass over its characters
 * (strings skipped) before anything parses it. Schema validators recurse once per level, so a body
 * nested a few thousand deep — valid JSON, and accepted by a recursive schema like z.json() — would
 * overflow the stack and answer 500; this lets the worker refuse it with a reason instead. Stops
 * counting once past `stopAbove`.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      depth += 1;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (ch === 0x7d || ch === 0x5d) {
      depth -= 1;
    }
  }
  return max;
}
