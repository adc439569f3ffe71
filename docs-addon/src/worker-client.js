/**
 * The add-on's only contact with the CalicoLobster worker: its existing HTTP API (pairing, search,
 * records, chat) through UrlFetchApp, with this user's device token from the user properties. Names
 * ending in "_" are private in Apps Script: the sidebar cannot call them.
 */
var CALICO_KEYS = { url: 'calico.workerUrl', token: 'calico.token', deviceId: 'calico.deviceId', deviceName: 'calico.deviceName', expiresAt: 'calico.expiresAt' };

function calicoProps_() {
  return PropertiesService.getUserProperties();
}

/** https:// anywhere; plain http only to this machine (a local `wrangler dev` behind a tunnel test). */
function normaliseWorkerUrl_(url) {
  var u = String(url || '').trim().replace(/\/+$/, '');
  if (/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s?#]*)?$/i.test(u) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/i.test(u)) return u;
  throw new Error('The worker address must be an https:// URL, like https://calicolobster.example.workers.dev');
}

function lowerKeys_(headers) {
  var out = {};
  Object.keys(headers || {}).forEach(function (k) {
    out[k.toLowerCase()] = String(headers[k]);
  });
  return out;
}

/** The worker's error body ({error: {code, message}}) in words, never the raw response. */
function errorMessage_(status, text) {
  try {
    var body = JSON.parse(text);
    if (body && body.error && typeof body.error.message === 'string') return body.error.message + ' (' + status + ')';
  } catch (e) {
    // Not the worker's JSON: a proxy's page or nothing.
  }
  return 'The worker answered ' + status + '.';
}

/**
 * One request to the worker. `body` undefined → GET. A 401 with a token means the device was signed
 * out: the pairing is forgotten so the sidebar asks for a new code instead of failing on every call.
 */
function workerFetch_(path, body, base) {
  var props = calicoProps_();
  var url = base || props.getProperty(CALICO_KEYS.url);
  var token = base ? null : props.getProperty(CALICO_KEYS.token);
  if (!url || (!base && !token)) throw new Error('Pair this add-on with your CalicoLobster account first.');
  var params = { method: body === undefined ? 'get' : 'post', muteHttpExceptions: true, followRedirects: false, headers: {} };
  if (token) params.headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) {
    params.contentType = 'application/json';
    params.payload = JSON.stringify(body);
  }
  var res = UrlFetchApp.fetch(url + path, params);
  var status = res.getResponseCode();
  var text = res.getContentText();
  if (status === 401 && token) {
    forgetPairing_();
    throw new Error('This add-on is no longer paired (the device was signed out). Pair it again with a new code.');
  }
  if (status >= 400) throw new Error(errorMessage_(status, text));
  return { status: status, text: text, headers: lowerKeys_(res.getHeaders()) };
}

function workerJson_(path, body, base) {
  var res = workerFetch_(path, body, base);
  try {
    return JSON.parse(res.text);
  } catch (e) {
    throw new Error('The worker sent something that is not JSON.');
  }
}

function forgetPairing_() {
  var props = calicoProps_();
  [CALICO_KEYS.token, CALICO_KEYS.deviceId, CALICO_KEYS.deviceName, CALICO_KEYS.expiresAt].forEach(function (k) {
    props.deleteProperty(k);
  });
}

/** Server-sent events (the worker's /v1/chat stream, read whole: UrlFetchApp does not stream). */
function parseSse_(text) {
  var events = [];
  var event = 'message';
  var data = [];
  String(text).replace(/\r\n?/g, '\n').split('\n').concat(['']).forEach(function (line) {
    if (line === '') {
      if (data.length) events.push({ event: event, data: data.join('\n') });
      event = 'message';
      data = [];
    } else if (line.charAt(0) === ':') {
      // A comment (keep-alive).
    } else {
      var colon = line.indexOf(':');
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  });
  return events;
}

/** A generation's events → its text and sources; an error event is an error here too. */
function readGeneration_(text) {
  var out = { text: '', sources: [], finishReason: null };
  parseSse_(text).forEach(function (e) {
    var data = JSON.parse(e.data);
    if (e.event === 'sources') out.sources = data.sources || [];
    else if (e.event === 'delta') out.text += data.delta;
    else if (e.event === 'done') out.finishReason = data.finishReason || null;
    else if (e.event === 'error') throw new Error((data.error && data.error.message) || 'the model stopped with an error');
  });
  if (out.finishReason === null) throw new Error('The answer was cut off before it finished.');
  return out;
}
