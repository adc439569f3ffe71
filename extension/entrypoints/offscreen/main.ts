import { listen } from '@/messaging/router';
import { OffscreenService } from '@/ai/offscreen-service';

// The offscreen document hosts the embedder and the vector index (see ai/offscreen-service.ts); the
// background creates it on demand. Handlers are registered before the model finishes loading, so a
// search sent right after creation waits for the model instead of finding no receiver.
void OffscreenService.start().then((service) => {
  service.registerHandlers();
  listen();
  service.whenReady().catch((error) => console.error(error));
  void service.runQueue().catch((error) => console.error('indexing stopped', error));
});
