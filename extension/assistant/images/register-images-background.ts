import { onMessage } from '@/messaging/router';
import { ForbiddenError, isSendersPage } from '@/messaging/sender-policy';
import { generateAndRecord } from './generate-and-record';
import { getImageRecord, markImageUsed } from './image-records';

/**
 * The background half of generative images: the composer in a page asks here (content scripts can't
 * reach the worker with this device's token, nor the database). A content script speaks for its page:
 * its requests are filed under that page, and it may only mark that page's records as used.
 */
export function registerImageBackground(): void {
  onMessage('image.generate', async (request, { from, sender }) => {
    if (from === 'content') {
      const url = sender.tab?.url ?? sender.url ?? null;
      return generateAndRecord({ ...request, source: 'menu', url: url ? url.slice(0, 8192) : null, title: (sender.tab?.title ?? request.title).slice(0, 2048) });
    }
    return generateAndRecord(request);
  });
  onMessage('image.used', async ({ id, how }, { from, sender }) => {
    const record = await getImageRecord(id);
    if (!record) return { saved: false };
    if (from === 'content' && !(record.pageUrl && isSendersPage(record.pageUrl, sender))) {
      throw new ForbiddenError('image.used: a page may only mark its own images');
    }
    return { saved: (await markImageUsed(id, how)) !== null };
  });
}
