import { liveQuery } from 'dexie';
import { getDb } from '@/db/database';
import { listen, sendMessage } from '@/messaging/router';
import { MODEL_SETTING } from '@/ai/indexing-queue';
import { OffscreenService } from '@/ai/offscreen-service';
import { BUNDLED_MODEL, findModel } from '@/ai/embedder';
import { KeywordSnapshotKeeper } from '@/search/persist/keyword-snapshot-keeper';
import { EmbedderWorkerClient } from '@/ai/embedder-worker-client';

// The offscreen document hosts the embedder and the vector index (see ai/offscreen-service.ts); the
// background creates it on demand. Handlers are registered before the model finishes loading, so a
// search sent right after creation waits for the model instead of finding no receiver. The model itself
// runs in a dedicated worker: extension pages share one main thread, so a batch here blocked the panel.
void OffscreenService.start({
  machineState: () => sendMessage('ai.machineState', {}).then((r) => r.state),
  loadEmbedder: (options) => EmbedderWorkerClient.start(options),
}).then((service) => {
  service.registerHandlers();
  listen();
  service.whenReady().catch((error) => console.error(error));
  void service.runQueue().catch((error) => console.error('indexing stopped', error));
  // A different embedding model means a different index: start over in a fresh document, which loads
  // the new model and re-embeds in the background (every stored vector records its model).
  liveQuery(() => getDb().settings.get(MODEL_SETTING)).subscribe({
    next: (row) => {
      const chosen = (typeof row?.value === 'string' && findModel(row.value)) || BUNDLED_MODEL;
      if (chosen.id !== service.model.id) location.reload();
    },
  });
});

// The keyword index's snapshot is kept near the change log's head from here (in a dedicated worker), so
// the side panel opening on a big memory loads it instead of building the index on first open.
new KeywordSnapshotKeeper({ db: getDb(), log: (line) => console.info(line) }).start();
