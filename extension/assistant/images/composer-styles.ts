/** The image composer's styles, inside its closed shadow root (nothing leaks in or out). */
export const COMPOSER_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.composer {
  position: fixed; z-index: 2147483647; width: 400px; max-width: calc(100vw - 16px); max-height: min(80vh, 640px);
  display: flex; flex-direction: column; overflow: hidden;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1e293b; text-align: left;
  background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; box-shadow: 0 10px 30px rgba(15, 23, 42, .18);
}
.head { display: flex; align-items: center; gap: 6px; padding: 6px 8px; border-bottom: 1px solid #e2e8f0; background: #f8fafc; }
.title { font-weight: 600; flex: 1; }
.body { overflow: auto; padding: 8px 10px; display: flex; flex-direction: column; gap: 8px; min-height: 0; }
textarea { width: 100%; min-height: 72px; resize: vertical; font: inherit; border: 1px solid #cbd5e1; border-radius: 6px; padding: 4px 6px; color: #1e293b; background: #fff; }
select { font: inherit; font-size: 12px; border: 1px solid #cbd5e1; border-radius: 6px; padding: 2px 4px; background: #fff; color: #1e293b; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px; }
.preview { display: flex; flex-direction: column; gap: 4px; border: 1px solid #e2e8f0; border-radius: 6px; padding: 4px; }
.preview img { width: 100%; aspect-ratio: 1; object-fit: contain; image-rendering: auto; background: #f1f5f9; border-radius: 4px; }
.status { font-size: 12px; color: #475569; }
.error { font-size: 12px; color: #b91c1c; background: #fef2f2; border-radius: 6px; padding: 4px 6px; }
.notice { font-size: 12px; color: #92400e; background: #fffbeb; border-radius: 6px; padding: 4px 6px; }
.muted { font-size: 11px; color: #64748b; }
button.btn { font: inherit; font-size: 12px; border: 1px solid #cbd5e1; background: #fff; color: #1e293b; border-radius: 6px; padding: 3px 8px; cursor: pointer; }
button.btn:hover { background: #f1f5f9; }
button.primary { background: #0284c7; border-color: #0284c7; color: #fff; }
button.primary:hover { background: #0369a1; }
button:disabled { opacity: .6; cursor: default; }
button.icon { border: 0; background: none; cursor: pointer; font: inherit; font-size: 14px; color: #475569; padding: 2px 4px; border-radius: 4px; }
[hidden] { display: none !important; }
`;
