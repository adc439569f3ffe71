import { startHighlights } from '@/highlights/content/highlighter';
import { isCaptureAllowed, registerCaptureStatus, startCapture } from '@/capture/content/start-capture';
import { listen } from '@/messaging/router';
import { startAssistant } from '@/assistant/content/start-assistant';
import { startImageComposer } from '@/assistant/images/start-image-composer';
import type { Highlighter } from '@/highlights/content/highlighter';

// One content script for every page: capture (visits, page text) and highlights. Everything it starts
// is tied to `ctx`, so an extension update or reload tears it all down cleanly.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    // The popup asks the page's top frame whether it is being captured, and why not.
    if (window.top === window) registerCaptureStatus();
    // Denied pages (paused, denylisted, incognito, non-web, sign-in pages) get nothing: no capture, no
    // highlights; they only answer that status.
    if (!(await isCaptureAllowed(ctx))) {
      if (window.top === window) listen();
      return;
    }
    startCapture(ctx);
    // startHighlights registers its message handlers before its first await, so listen() (once per
    // context, after every feature registered) already routes 'highlight.reveal' to it.
    // The assistant (answer bubble, right-click actions, shortcuts) registers its handler synchronously too.
    let highlighter: Highlighter | undefined;
    const assistant = startAssistant(ctx, {
      highlight: (range) => (highlighter ? highlighter.create(range, 'yellow') : Promise.reject(new Error('Highlights are not available on this page.'))),
    });
    startImageComposer(ctx);
    const highlights = startHighlights(ctx, { onAsk: (query, range) => assistant.ask(query, range) });
    listen();
    highlighter = await highlights;
  },
});
