import type { HighlightColor } from '@shared/schemas/records';

/** Swatch classes per highlight colour (spelled out so Tailwind finds them). */
export const COLOR_SWATCH: Record<HighlightColor, string> = {
  yellow: 'bg-yellow-300',
  green: 'bg-green-300',
  blue: 'bg-sky-300',
  pink: 'bg-pink-300',
  purple: 'bg-violet-300',
};

export const COLOR_EDGE: Record<HighlightColor, string> = {
  yellow: 'border-yellow-400',
  green: 'border-green-400',
  blue: 'border-sky-400',
  pink: 'border-pink-400',
  purple: 'border-violet-400',
};

export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
