/**
 * Deterministic record ids for imported items, so importing the same file twice lands on the same keys
 * (and the writer can tell what is already there). Synchronous on purpose: parsers stay pure and sync.
 * Four differently seeded 32-bit FNV-1a hashes give 128 bits, plenty against accidental collisions
 * among one user's highlights; this is not a security boundary.
 */
const SEEDS = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b];

function fnv1a(input: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so seeds that differ little still give unrelated words.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** `imp-` + 32 hex chars: matches the Id schema (url-safe, 8–64 chars). */
export function importId(...parts: readonly (string | number)[]): string {
  // The separator cannot appear in the parts' joined form ambiguously: lengths are prefixed.
  const key = parts.map((p) => `${String(p).length}:${p}`).join('|');
  return 'imp-' + SEEDS.map((s) => fnv1a(key, s).toString(16).padStart(8, '0')).join('');
}

/** A readable, stable path segment for a book or document title. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return s || 'untitled';
}
