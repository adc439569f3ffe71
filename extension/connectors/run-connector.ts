import { Page } from '@shared/schemas/records';
import { computeSignals } from '@shared/signals/content-signals';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import type { Connector } from './connector';

export interface ConnectorReport {
  listed: number;
  /** New or changed pages written. */
  upserted: number;
  /** Listed but their text is what we already hold. */
  unchanged: number;
  skipped: Array<{ item: string; reason: string }>;
}

/** Where a connector's cursor lives (the `state` table), one per connector and source. */
export const cursorKey = (connectorId: string, source: string) => `connector:${connectorId}:${source}`.slice(0, 512);

/**
 * list → fetch → clean → upsert, batch by batch, until the source says it is caught up. The cursor is
 * saved only after a batch's pages are written, so a run stopped mid-batch lists that batch again
 * (pages already written come back as unchanged, nothing twice). A connector's page replaces the stored
 * page of the same URL when its text changed: the source is the authority on its own documents.
 */
export async function runConnector<Config, Cursor, Ref, Raw>(
  connector: Connector<Config, Cursor, Ref, Raw>,
  config: Config,
  options: { source: string; db?: CalicoDb; signal?: AbortSignal; maxBatches?: number },
): Promise<ConnectorReport> {
  const db = options.db ?? getDb();
  const key = cursorKey(connector.id, options.source);
  const report: ConnectorReport = { listed: 0, upserted: 0, unchanged: 0, skipped: [] };
  let cursor: Cursor | null = ((await db.state.get(key))?.value as Cursor | undefined) ?? null;
  for (let batch = 0; batch < (options.maxBatches ?? 1000); batch++) {
    options.signal?.throwIfAborted();
    const listed = await connector.list(config, cursor, options.signal);
    report.listed += listed.items.length;
    for (const ref of listed.items) {
      options.signal?.throwIfAborted();
      const raw = await connector.fetch(config, ref, options.signal);
      if (raw === null) {
        report.skipped.push({ item: connector.describe(ref), reason: 'no longer there' });
        continue;
      }
      const cleaned = connector.clean(raw, ref);
      if ('skipped' in cleaned) {
        report.skipped.push({ item: connector.describe(ref), reason: cleaned.skipped });
        continue;
      }
      const existing = await db.pages.get(cleaned.url);
      if (existing && existing.text === cleaned.text && existing.title === cleaned.title) {
        report.unchanged++;
        continue;
      }
      const page = Page.parse({ ...cleaned, signals: computeSignals({ text: cleaned.text, title: cleaned.title, declaredLang: cleaned.lang }) });
      await putRecords('pages', [page], db);
      report.upserted++;
    }
    cursor = listed.cursor;
    await db.state.put({ key, value: cursor });
    if (!listed.more) break;
  }
  return report;
}
