/** Styles of the overlay, scoped by its shadow root (static text: no page content ever goes here). */
export const OVERLAY_CSS = `
.panel {
  position: fixed; z-index: 2147483647; display: flex; flex-direction: column; gap: 6px;
  padding: 6px; border-radius: 10px; background: #1f2430; color: #f5f6f8;
  box-shadow: 0 6px 24px rgba(0,0,0,.28); font: 13px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif;
  user-select: none; -webkit-user-select: none;
}
.panel[hidden] { display: none; }
.row { display: flex; align-items: center; gap: 4px; }
button {
  all: unset; box-sizing: border-box; cursor: pointer; border-radius: 6px; padding: 4px 8px;
  color: inherit; font: inherit;
}
button:hover, button:focus-visible { background: rgba(255,255,255,.14); }
button:focus-visible { outline: 2px solid #8ab4ff; }
button.swatch { width: 22px; height: 22px; padding: 0; border-radius: 50%; border: 2px solid rgba(255,255,255,.6); }
button.swatch[aria-pressed="true"] { border-color: #fff; box-shadow: 0 0 0 2px #8ab4ff; }
.sep { width: 1px; align-self: stretch; background: rgba(255,255,255,.2); margin: 0 2px; }
textarea {
  box-sizing: border-box; width: 260px; min-height: 72px; resize: vertical; border-radius: 6px; border: 0;
  padding: 6px; font: inherit; color: #111; background: #fff;
}
.save { background: #3c6df0; }
.save:hover { background: #2f5bd0; }
.error { color: #ffb4a9; max-width: 260px; }
`;
