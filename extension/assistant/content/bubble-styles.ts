/**
 * The bubble's styles, inside its closed shadow root. `:host { all: initial }` cuts every inherited
 * page style (font, colour, line height…) at the boundary; nothing here can reach the page.
 */
export const BUBBLE_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.bubble {
  position: fixed; z-index: 2147483647; width: 380px; max-width: calc(100vw - 16px); max-height: min(60vh, 520px);
  display: flex; flex-direction: column; overflow: hidden;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1e293b; text-align: left;
  background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; box-shadow: 0 10px 30px rgba(15, 23, 42, .18);
}
.head { display: flex; align-items: center; gap: 6px; padding: 6px 8px; border-bottom: 1px solid #e2e8f0; background: #f8fafc; }
.title { font-weight: 600; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.engine { font-size: 11px; color: #64748b; }
.body { overflow: auto; padding: 8px 10px; display: flex; flex-direction: column; gap: 8px; min-height: 0; }
.turn-user { align-self: flex-end; background: #e0f2fe; border-radius: 8px; padding: 4px 8px; max-width: 90%; white-space: pre-wrap; overflow-wrap: anywhere; }
.answer { overflow-wrap: anywhere; }
.answer[data-format="text"] { white-space: pre-wrap; }
.answer p { margin: 0 0 6px; }
.answer pre { background: #f1f5f9; padding: 6px; border-radius: 6px; overflow: auto; white-space: pre-wrap; }
.answer a { color: #0369a1; }
.cite { border: 0; background: #e0f2fe; color: #0369a1; border-radius: 4px; padding: 0 3px; font: inherit; font-size: 11px; cursor: pointer; }
.notice { font-size: 12px; color: #92400e; background: #fffbeb; border-radius: 6px; padding: 4px 6px; }
.error { font-size: 12px; color: #b91c1c; background: #fef2f2; border-radius: 6px; padding: 4px 6px; }
.sources { margin: 0; padding-left: 18px; font-size: 12px; color: #475569; }
.sources button { border: 0; background: none; color: #0369a1; cursor: pointer; padding: 0; font: inherit; text-align: left; }
.diff { font-size: 12px; background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 160px; overflow: auto; }
.diff ins { background: #dcfce7; color: #166534; text-decoration: none; }
.diff del { background: #fee2e2; color: #991b1b; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.foot { border-top: 1px solid #e2e8f0; padding: 6px 8px; display: flex; flex-direction: column; gap: 6px; }
button.btn { font: inherit; font-size: 12px; border: 1px solid #cbd5e1; background: #fff; color: #1e293b; border-radius: 6px; padding: 3px 8px; cursor: pointer; }
button.btn:hover { background: #f1f5f9; }
button.primary { background: #0284c7; border-color: #0284c7; color: #fff; }
button.primary:hover { background: #0369a1; }
button.icon { border: 0; background: none; cursor: pointer; font: inherit; font-size: 14px; color: #475569; padding: 2px 4px; border-radius: 4px; }
button.icon[aria-pressed="true"] { background: #e0f2fe; color: #0369a1; }
form.ask { display: flex; gap: 6px; }
input.q, textarea.fix { flex: 1; font: inherit; font-size: 13px; border: 1px solid #cbd5e1; border-radius: 6px; padding: 4px 6px; color: #1e293b; background: #fff; min-width: 0; }
textarea.fix { width: 100%; min-height: 60px; resize: vertical; }
.muted { font-size: 11px; color: #64748b; }
.tag { font-size: 10px; text-transform: uppercase; letter-spacing: .04em; color: #0369a1; background: #e0f2fe; border-radius: 4px; padding: 0 4px; }
[hidden] { display: none !important; }
.cite.unsupported { text-decoration: line-through; background: #fef3c7; color: #92400e; }
.trace summary { cursor: pointer; }
.trace p { margin: 2px 0; }
`;
