// Entry bundled by scripts/bench.mjs (esbuild) for `npm run bench -- latency --chromium`: the same
// latency run, inside a headless Chromium page.
import { runLatency } from './latency';

(globalThis as { runLatency?: typeof runLatency }).runLatency = runLatency;
