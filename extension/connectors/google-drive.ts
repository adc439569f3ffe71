import { textPage } from '@/import/build-records';
import type { Connector, ListResult } from './connector';
import { ConnectorHttp, ConnectorHttpError } from './connector-http';

/**
 * Google Drive (API v3), read-only: Google Docs (exported as plain text) and plain-text / Markdown
 * files. First run: remember the changes start token, then list every such file. Later runs: read the
 * change feed from the saved token (`changes.list`), so only files edited since are fetched.
 * Rate limits (https://developers.google.com/drive/api/guides/limits): 429 and 403
 * userRateLimitExceeded/rateLimitExceeded are retried with exponential backoff (ConnectorHttp).
 */
export interface DriveConfig {
  /** https://www.googleapis.com in production; a loopback test double in tests. */
  apiBase?: string;
}

export interface DriveCursor {
  phase: 'list' | 'changes';
  /** The changes token to continue from (saved before the first listing, so nothing is missed). */
  changesToken: string | null;
  /** Next page of the first listing. */
  listToken: string | null;
}

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  modifiedTime?: string;
  webViewLink?: string;
  trashed?: boolean;
}

const GOOGLE_DOC = 'application/vnd.google-apps.document';
const TEXT_TYPES = ['text/plain', 'text/markdown'];
const FILE_FIELDS = 'id,name,mimeType,modifiedTime,webViewLink,trashed';
const PAGE_SIZE = '100';
const supported = (f: DriveFile) => !f.trashed && (f.mimeType === GOOGLE_DOC || TEXT_TYPES.includes(f.mimeType));

export function driveConnector(http: ConnectorHttp): Connector<DriveConfig, DriveCursor, DriveFile, { file: DriveFile; text: string }> {
  const url = (config: DriveConfig, path: string, params: Record<string, string> = {}) => {
    const u = new URL(`/drive/v3/${path}`, config.apiBase ?? 'https://www.googleapis.com');
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
  return {
    id: 'google-drive',
    label: 'Google Drive',
    describe: (f) => f.name,
    async list(config, saved, signal): Promise<ListResult<DriveFile, DriveCursor>> {
      let cursor = saved;
      if (!cursor) {
        const start = await http.json<{ startPageToken: string }>(url(config, 'changes/startPageToken'), signal);
        cursor = { phase: 'list', changesToken: start.startPageToken, listToken: null };
      }
      if (cursor.phase === 'list') {
        const q = `trashed = false and (mimeType = '${GOOGLE_DOC}' or ${TEXT_TYPES.map((t) => `mimeType = '${t}'`).join(' or ')})`;
        const data = await http.json<{ files?: DriveFile[]; nextPageToken?: string }>(
          url(config, 'files', { q, pageSize: PAGE_SIZE, fields: `nextPageToken,files(${FILE_FIELDS})`, ...(cursor.listToken ? { pageToken: cursor.listToken } : {}) }),
          signal,
        );
        const next = data.nextPageToken ?? null;
        return { items: (data.files ?? []).filter(supported), cursor: next ? { ...cursor, listToken: next } : { phase: 'changes', changesToken: cursor.changesToken, listToken: null }, more: Boolean(next) };
      }
      const data = await http.json<{ changes?: Array<{ fileId: string; removed?: boolean; file?: DriveFile }>; nextPageToken?: string; newStartPageToken?: string }>(
        url(config, 'changes', { pageToken: cursor.changesToken ?? '', pageSize: PAGE_SIZE, fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${FILE_FIELDS}))` }),
        signal,
      );
      const items = (data.changes ?? []).filter((c) => !c.removed && c.file && supported(c.file)).map((c) => c.file!);
      const token = data.nextPageToken ?? data.newStartPageToken ?? cursor.changesToken;
      return { items, cursor: { phase: 'changes', changesToken: token, listToken: null }, more: Boolean(data.nextPageToken) };
    },
    async fetch(config, file, signal) {
      const path = file.mimeType === GOOGLE_DOC ? `files/${encodeURIComponent(file.id)}/export` : `files/${encodeURIComponent(file.id)}`;
      const params: Record<string, string> = file.mimeType === GOOGLE_DOC ? { mimeType: 'text/plain' } : { alt: 'media' };
      try {
        return { file, text: await http.text(url(config, path, params), signal) };
      } catch (error) {
        if (error instanceof ConnectorHttpError && error.status === 404) return null;
        throw error;
      }
    },
    clean({ file, text }) {
      const body = text.replace(/^\uFEFF/, '').trim();
      if (!body) return { skipped: 'empty document' };
      const link = file.webViewLink ?? (file.mimeType === GOOGLE_DOC ? `https://docs.google.com/document/d/${file.id}/edit` : `https://drive.google.com/file/d/${file.id}/view`);
      const at = Date.parse(file.modifiedTime ?? '');
      const when = Number.isNaN(at) ? Date.now() : at;
      return textPage({ url: link, title: file.name || 'Untitled', text: body, siteName: 'Google Drive', capturedAt: when });
    },
  };
}
