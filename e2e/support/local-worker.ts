// The e2e suite runs the project's worker exactly as the worker's own smoke test does: one helper,
// worker/local/start-local-worker.ts (wrangler dev --local on free ports, throwaway state, migrations).
export { startLocalWorker, type LocalWorker } from '../../worker/local/start-local-worker';
