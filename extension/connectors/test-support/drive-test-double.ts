import { sendJson, startLoopback, type Loopback } from './loopback-server';

/**
 * A test double of the Google Drive v3 API for the connector's calls: changes/startPageToken, files.list
 * (nextPageToken paging, `fields`), changes.list (nextPageToken / newStartPageToken), files.export
 * (Google Docs as text/plain) and files.get?alt=media. Requires the bearer token; can answer with
 * Drive's rate-limit error (403 userRateLimitExceeded).
 */
export interface DriveDoc {
  id: string;
  name: string;
  mimeType: string;
  text: string;
  modifiedTime: string;
}

export interface DriveDouble extends Loopback {
  files: DriveDoc[];
  /** Files changed since the start token, as the change feed will report them. */
  change(id: string, text: string, modifiedTime: string): void;
  rateLimit(n: number): void;
}

const PAGE = 2;

export async function startDriveDouble(files: DriveDoc[], token: string): Promise<DriveDouble> {
  let changes: string[] = [];
  let epoch = 1;
  let limited = 0;
  const meta = (f: DriveDoc) => ({ id: f.id, name: f.name, mimeType: f.mimeType, modifiedTime: f.modifiedTime, webViewLink: `https://docs.google.com/document/d/${f.id}/edit`, trashed: false });
  const double = await startLoopback((url, req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
    if (limited > 0) {
      limited--;
      return sendJson(res, 403, { error: { code: 403, message: 'User Rate Limit Exceeded', errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' }] } });
    }
    const p = url.searchParams;
    if (url.pathname === '/drive/v3/changes/startPageToken') return sendJson(res, 200, { kind: 'drive#startPageToken', startPageToken: String(epoch) });
    if (url.pathname === '/drive/v3/files') {
      const start = Number(p.get('pageToken') ?? '0');
      const page = files.slice(start, start + PAGE);
      return sendJson(res, 200, { kind: 'drive#fileList', incompleteSearch: false, files: page.map(meta), ...(start + PAGE < files.length ? { nextPageToken: String(start + PAGE) } : {}) });
    }
    if (url.pathname === '/drive/v3/changes') {
      if (p.get('pageToken') !== String(epoch)) return sendJson(res, 200, { kind: 'drive#changeList', changes: [], newStartPageToken: String(epoch) });
      const list = changes.map((id) => files.find((f) => f.id === id)!).map((f) => ({ kind: 'drive#change', changeType: 'file', fileId: f.id, removed: false, file: meta(f) }));
      changes = [];
      epoch++;
      return sendJson(res, 200, { kind: 'drive#changeList', changes: list, newStartPageToken: String(epoch) });
    }
    const m = /^\/drive\/v3\/files\/([^/]+)(\/export)?$/.exec(url.pathname);
    const f = m && files.find((x) => x.id === decodeURIComponent(m[1]!));
    if (!f) return sendJson(res, 404, { error: { code: 404, message: 'File not found.' } });
    if (m![2] ? p.get('mimeType') !== 'text/plain' || f.mimeType !== 'application/vnd.google-apps.document' : p.get('alt') !== 'media') return sendJson(res, 400, { error: { code: 400, message: 'bad request' } });
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(f.text);
  });
  return {
    ...double,
    files,
    change(id, text, modifiedTime) {
      const f = files.find((x) => x.id === id)!;
      f.text = text;
      f.modifiedTime = modifiedTime;
      changes.push(id);
    },
    rateLimit(n) {
      limited = n;
    },
  };
}
