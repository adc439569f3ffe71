import { listen } from '@/messaging/router';
import { configureSidePanel, registerPanelHandlers } from '@/panel/handlers';
import { registerHighlightHandlers } from '@/highlights/handlers';
import { registerCaptureHandlers, registerCaptureListeners } from '@/capture/register-background';
import { startOffscreenHost } from '@/ai/offscreen-host';
import { startSyncScheduler } from '@/sync/scheduler';
import { startCompactionSchedule } from '@/db/compaction';
import { registerAssistantBackground } from '@/assistant/actions/register-background';
import { registerShoppingHandlers } from '@/shopping/register-background';
import { registerImageBackground } from '@/assistant/images/register-images-background';

// The service worker only wires features together: each feature registers its own message handlers
// and browser listeners. Chrome kills this worker after ~30 s idle, so nothing here may keep state in
// memory that is not also in IndexedDB or chrome.storage.session.
export default defineBackground(() => {
  registerPanelHandlers();
  registerHighlightHandlers();
  registerCaptureHandlers();
  registerCaptureListeners();
  registerShoppingHandlers();
  startOffscreenHost();
  startSyncScheduler();
  startCompactionSchedule();
  registerAssistantBackground();
  registerImageBackground();
  void configureSidePanel().catch((error) => console.warn('side panel setup failed', error));
  listen();
});
