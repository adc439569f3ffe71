import { decodeHTML } from 'entities';

/**
 * Text from markup, ready to show and compare: HTML entities that pages leave inside JSON-LD strings
 * ("Elo&iacute;sa") decoded, tags dropped, whitespace collapsed, cut to `max` characters.
 */
export function cleanText(raw: string | null | undefined, max = 512): string | null {
  if (raw === null || raw === undefined) return null;
  const text = decodeHTML(decodeHTML(raw))
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? text.slice(0, max) : null;
}

/** Lower-case word tokens (letters and digits of any script) for comparing names. */
export function nameTokens(raw: string | null | undefined): string[] {
  if (!raw) return [];
  return (raw.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 || /\d/.test(t));
}
