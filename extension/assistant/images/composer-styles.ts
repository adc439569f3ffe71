import { BUBBLE_CSS } from '../content/bubble-styles';

/**
 * The image composer's styles, inside its closed shadow root: the answer bubble's (so the two in-page
 * panels look and behave alike — header, buttons, errors), plus the composer's own panel, prompt box and
 * preview grid. Nothing here can reach the page.
 */
export const COMPOSER_CSS = `${BUBBLE_CSS}
.composer {
  position: fixed; z-index: 2147483647; width: 400px; max-width: calc(100vw - 16px); max-height: min(80vh, 640px);
  display: flex; flex-direction: column; overflow: hidden;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1e293b; text-align: left;
  background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; box-shadow: 0 10px 30px rgba(15, 23, 42, .18);
}
.composer textarea { width: 100%; min-height: 72px; resize: vertical; font: inherit; border: 1px solid #cbd5e1; border-radius: 6px; padding: 4px 6px; color: #1e293b; background: #fff; }
.composer select { font: inherit; font-size: 12px; border: 1px solid #cbd5e1; border-radius: 6px; padding: 2px 4px; background: #fff; color: #1e293b; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px; }
.preview { display: flex; flex-direction: column; gap: 4px; border: 1px solid #e2e8f0; border-radius: 6px; padding: 4px; margin: 0; }
.preview img { width: 100%; aspect-ratio: 1; object-fit: contain; background: #f1f5f9; border-radius: 4px; }
.status { font-size: 12px; color: #475569; margin: 0; }
button:disabled { opacity: .6; cursor: default; }
`;
