// One content script for every page: capture (visits, page text) and highlights. Everything it starts
// is tied to `ctx`, so an extension update or reload tears it all down cleanly.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(_ctx) {
    // features are started here (capture, highlights)
  },
});
