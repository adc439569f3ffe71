// Entry bundled by scripts/bench.mjs (esbuild) for `npm run bench -- query-path`: the typed-query path
// inside a headless Chromium page (cross-origin isolated, as the extension's pages are).
import { runQueryPath } from './query-path';

(globalThis as { runQueryPath?: typeof runQueryPath }).runQueryPath = runQueryPath;
