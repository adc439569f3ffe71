/**
 * CalicoLobster for Google Docs: a sidebar that searches and asks the user's memory (their synced
 * highlights and pages, through the worker), inserts cited passages at the cursor, and rewrites the
 * selection with the extension's own writing prompts (prompts.generated.js, bundled from shared/prompts).
 * The functions without a trailing "_" are what the sidebar calls through google.script.run.
 */
var WRITING_ACTIONS = ['improve', 'tone', 'outline-to-prose'];
var MAX_QUERY = 1000;
var MAX_QUESTION = 4000;

function onOpen() {
  DocumentApp.getUi().createAddonMenu().addItem('Open CalicoLobster', 'showSidebar').addToUi();
}

function onInstall(e) {
  onOpen(e);
}

function showSidebar() {
  var html = HtmlService.createTemplateFromFile('Sidebar').evaluate().setTitle('CalicoLobster');
  DocumentApp.getUi().showSidebar(html);
}

/** Used by Sidebar.html to pull in its script and styles. */
function include(name) {
  return HtmlService.createHtmlOutputFromFile(name).getContent();
}

function getStatus() {
  var props = calicoProps_();
  var token = props.getProperty(CALICO_KEYS.token);
  return {
    paired: Boolean(token),
    workerUrl: props.getProperty(CALICO_KEYS.url) || '',
    deviceName: token ? props.getProperty(CALICO_KEYS.deviceName) || '' : '',
    tones: CalicoPrompts.ACTION_TONES.slice(),
    actions: WRITING_ACTIONS.slice(),
  };
}

/**
 * Pairs like a second device: the code comes from the extension's "Pair a device" (or any signed-in
 * device), the worker gives this add-on a device token of its own, kept in this user's properties.
 */
function pairDocument(workerUrl, code, deviceName) {
  var base = normaliseWorkerUrl_(workerUrl);
  var creds = workerJson_('/v1/pairing/join', { code: String(code || ''), deviceName: String(deviceName || '').trim() || 'Google Docs' }, base);
  if (!creds || typeof creds.token !== 'string' || typeof creds.deviceId !== 'string') throw new Error('The worker did not return a device token.');
  var props = calicoProps_();
  props.setProperties({
    'calico.workerUrl': base,
    'calico.token': creds.token,
    'calico.deviceId': creds.deviceId,
    'calico.deviceName': String(deviceName || '').trim() || 'Google Docs',
    'calico.expiresAt': String(creds.expiresAt),
  });
  return getStatus();
}

/** Signs this device out on the worker (best effort: offline, it is still forgotten here). */
function unpairDocument() {
  var props = calicoProps_();
  var deviceId = props.getProperty(CALICO_KEYS.deviceId);
  if (deviceId && props.getProperty(CALICO_KEYS.token)) {
    try {
      var base = props.getProperty(CALICO_KEYS.url);
      UrlFetchApp.fetch(base + '/v1/devices/' + encodeURIComponent(deviceId), {
        method: 'delete',
        muteHttpExceptions: true,
        headers: { Authorization: 'Bearer ' + props.getProperty(CALICO_KEYS.token) },
      });
    } catch (e) {
      // Unreachable worker: the token expires on its own; forgetting it here is what the user asked.
    }
  }
  forgetPairing_();
  return getStatus();
}

function snippetText_(snippet) {
  return (snippet || [])
    .map(function (p) {
      return p.text;
    })
    .join('')
    .trim();
}

/** Hybrid search of the user's synced records (the worker's /v1/search). */
function searchMemory(query) {
  var q = String(query || '').trim().slice(0, MAX_QUERY);
  if (!q) throw new Error('Type what to search for.');
  var res = workerJson_('/v1/search', { q: q, limit: 10, kinds: ['highlight', 'page'] });
  return (res.hits || []).map(function (h) {
    return { kind: h.kind, key: h.key, title: h.title || h.url, url: h.url, text: snippetText_(h.snippet) };
  });
}

/** A highlight's whole text (what the person saved); pages give their matching passage. */
function passageText_(passage) {
  if (passage.kind === 'highlight' && passage.key) {
    try {
      var record = workerJson_('/v1/records/highlight/' + encodeURIComponent(passage.key));
      if (record && record.data && typeof record.data.text === 'string' && record.data.text.trim()) return record.data.text.trim();
    } catch (e) {
      // Deleted since the search: the snippet is still what the person chose.
    }
  }
  return String(passage.text || '').trim();
}

/** “passage” — Title, the title linked to its page, at the cursor. */
function insertPassage(passage) {
  if (!passage || typeof passage !== 'object') throw new Error('Nothing to insert.');
  var quote = '“' + passageText_(passage).replace(/\s+/g, ' ').slice(0, 4000) + '”';
  var cite = String(passage.title || passage.url || 'source').slice(0, 300);
  var text = quote + ' — ' + cite;
  return insertAtCursor_(text, quote.length + 3, text.length, passage.url);
}

/** Asks the memory: the worker finds the sources in the user's records and answers citing [n]. */
function askMemory(question) {
  var q = String(question || '').trim().slice(0, MAX_QUESTION);
  if (!q) throw new Error('Type a question.');
  var res = workerFetch_('/v1/chat', { question: q, searchMyRecords: true });
  var out = readGeneration_(res.text);
  return { answer: out.text, sources: out.sources, template: res.headers['x-calico-template'] || '' };
}

/** The answer at the cursor, followed by its numbered sources. */
function insertAnswer(answer, sources) {
  var lines = (sources || []).map(function (s) {
    return '[' + s.n + '] ' + String(s.title || s.url).slice(0, 300) + (s.url ? ' — ' + s.url : '');
  });
  return insertAtCursor_(String(answer || '').trim() + (lines.length ? '\n\nSources:\n' + lines.join('\n') : ''), 0, 0, '');
}

/**
 * A writing action on the selection with the extension's prompt for it; outline → prose also gets the
 * best passages of the user's memory for the outline, to cite. Returns the result for the sidebar to
 * show; replaceSelection applies it.
 */
function runWritingAction(action, option) {
  if (WRITING_ACTIONS.indexOf(action) < 0) throw new Error('Unknown action: ' + action);
  var text = selectedText_().trim();
  if (!text) throw new Error('Select the text to work on first.');
  var sources = [];
  if (action === 'outline-to-prose') {
    sources = searchMemory(text.slice(0, MAX_QUERY)).slice(0, 6).map(function (h) {
      return { title: h.title, url: h.url, text: h.text };
    });
  }
  var prompt = CalicoPrompts.buildActionPrompt(action, { text: text, option: option, sources: sources });
  var res = workerFetch_('/v1/chat', { messages: prompt.messages, template: prompt.template, maxTokens: 2048 });
  var out = readGeneration_(res.text);
  return { action: action, output: out.text.trim(), template: CalicoPrompts.templateKey(prompt.template), sources: sources };
}

function replaceSelection(text) {
  var t = String(text || '');
  if (!t.trim()) throw new Error('There is no text to put in.');
  replaceSelectedText_(t);
  return true;
}
