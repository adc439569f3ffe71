/** Small readers for loosely typed export JSON: a wrong type reads as missing, never throws. */

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Milliseconds from an epoch number (ms, or seconds when small) or a date string; NaN when neither. */
export function dateOf(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string' && v.trim()) return /^\d+$/.test(v.trim()) ? dateOf(Number(v)) : Date.parse(v);
  const o = obj(v);
  if ('$date' in o) return dateOf(o.$date);
  return NaN;
}

export function parseJsonExport(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`Not ${what}: the file is not JSON (${(error as Error).message}).`);
  }
}
