import type { HighlightColor } from '@shared/schemas/records';

/** Translucent so the page's own text colour and selection stay readable through the highlight. */
export const HIGHLIGHT_BACKGROUNDS: Record<HighlightColor, string> = {
  yellow: 'rgba(255, 214, 10, 0.45)',
  green: 'rgba(64, 200, 90, 0.35)',
  blue: 'rgba(60, 150, 255, 0.33)',
  pink: 'rgba(255, 90, 160, 0.33)',
  purple: 'rgba(150, 90, 255, 0.33)',
};

/** Opaque swatches for the overlay's buttons. */
export const SWATCHES: Record<HighlightColor, string> = {
  yellow: '#ffd60a',
  green: '#40c85a',
  blue: '#3c96ff',
  pink: '#ff5aa0',
  purple: '#965aff',
};
