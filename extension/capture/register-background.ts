import { onMessage, sendToTab } from '@/messaging/router';
import { capturePolicyFor } from './privacy-policy';
import { sessionJourneyStore } from './journey-store';
import { beginVisit, finishTabVisit, recordHeartbeat, savePageContent } from './visit-service';

/**
 * The capture feature's part of the service worker: message handlers and browser listeners. Called
 * synchronously at worker start-up (before `listen()`), as MV3 requires for listeners that must wake
 * the worker.
 */
export function registerCaptureHandlers(): void {
  onMessage('capture.policy', ({ url }, { sender }) => capturePolicyFor(url, sender));
  onMessage('visit.begin', (request, { sender }) => beginVisit(request, sender));
  onMessage('visit.heartbeat', (request, { sender }) => recordHeartbeat(request, sender));
  onMessage('page.content', (request, { sender }) => savePageContent(request, sender));
}

export function registerCaptureListeners(): void {
  // History-API navigations: the content script also watches the URL itself (wxt:locationchange polls),
  // but this tells it at once. Tabs without our content script (denied pages) just don't answer.
  chrome.webNavigation.onHistoryStateUpdated.addListener((details) => {
    if (details.frameId !== 0) return;
    void sendToTab(details.tabId, 'visit.routeChanged', { url: details.url }).catch(() => undefined);
  });
  // A tab leaving its document (new navigation, reload) or closing ends that document's visit, whether or
  // not the page's own last heartbeat made it out during unload.
  chrome.webNavigation.onCommitted.addListener((details) => {
    if (details.frameId !== 0) return;
    void finishTabVisit(details.tabId).catch(() => undefined);
  });
  chrome.tabs.onRemoved.addListener((tabId) => {
    void finishTabVisit(tabId)
      .catch(() => undefined)
      .then(() => sessionJourneyStore.remove(tabId))
      .catch(() => undefined);
  });
}
