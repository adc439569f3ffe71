/**
 * JSON-LD blocks as pages really write them: strict JSON first; failing that, the usual breakage is
 * repaired (HTML comment or CDATA wrappers, raw control characters inside strings, trailing commas,
 * several objects one after another) and parsing retried. A block that still fails is skipped.
 */

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Raw newlines/tabs inside string literals are the commonest reason strict parsing fails. */
function escapeControlCharsInStrings(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else if (ch < ' ') {
        out += ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : ' ';
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

export function parseJsonLdText(raw: string): unknown[] {
  const text = raw.trim();
  if (!text) return [];
  const strict = tryParse(text);
  if (strict !== undefined) return [strict];
  const cleaned = escapeControlCharsInStrings(
    text
      .replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, '')
      .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)\s*$/, '')
      .trim(),
  ).replace(/,\s*([}\]])/g, '$1');
  const repaired = tryParse(cleaned);
  if (repaired !== undefined) return [repaired];
  // `{…}{…}` or `{…},{…}`: several documents in one block.
  const joined = tryParse(`[${cleaned.replace(/}\s*,?\s*{(?=\s*")/g, '},{')}]`);
  return Array.isArray(joined) ? joined : [];
}
