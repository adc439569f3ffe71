// Entry bundled by scripts/bench.mjs (esbuild) for `npm run bench -- query-path`: the typed-query path
// inside a headless Chromium page (cross-origin isolated, as the extension's pages are). With `inWorker`
// the embedder runs in the product's dedicated worker (extension/ai/embedder-worker.ts, served bundled
// at /embedder-worker.js), as the offscreen document runs it.
import type { WorkerLike } from '../extension/ai/embedder-worker-client';
import { runQueryPath, type QueryPathOptions } from './query-path';

const run = (o: QueryPathOptions & { inWorker?: boolean }) =>
  runQueryPath({ ...o, ...(o.inWorker ? { worker: () => new Worker('/embedder-worker.js', { type: 'module', name: 'embedder' }) as unknown as WorkerLike } : {}) });

(globalThis as { runQueryPath?: typeof run }).runQueryPath = run;
