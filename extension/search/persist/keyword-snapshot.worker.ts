import { getDb } from '@/db/database';
import { KeywordSnapshotRefresher } from './keyword-snapshot-refresh';

// A dedicated worker of the offscreen document (keyword-snapshot-keeper.ts): each message brings the
// keyword snapshot up to the change log's head, off the main thread every extension page shares. The
// index stays loaded between messages (an import sends many), and the keeper ends the worker once idle.
// Answers { ok, result | error }.
const refresher = new KeywordSnapshotRefresher(getDb());
self.onmessage = () => {
  refresher.refresh().then(
    (result) => self.postMessage({ ok: true, result }),
    (error: unknown) => self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
};
