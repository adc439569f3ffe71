import type { Page } from '@shared/schemas/records';

/**
 * A knowledge source behind one interface (issue 14): `list` says what changed since the cursor, `fetch`
 * reads one item, `clean` turns it into a page. `runConnector` does the rest (upsert through the change
 * log, so pages are indexed and synced like captured ones; the cursor saved after each batch, so an
 * interrupted run resumes). Connectors talk to their API only through `ConnectorHttp`, which keeps to
 * the API's documented rate limits.
 */
export interface ListResult<Ref, Cursor> {
  items: Ref[];
  /** The cursor after these items: the next `list` starts here. */
  cursor: Cursor;
  /** More to list now (the next page of a listing); false when caught up. */
  more: boolean;
}

export interface Connector<Config, Cursor, Ref, Raw> {
  id: string;
  label: string;
  list(config: Config, cursor: Cursor | null, signal?: AbortSignal): Promise<ListResult<Ref, Cursor>>;
  fetch(config: Config, ref: Ref, signal?: AbortSignal): Promise<Raw | null>;
  /** A page, or why the item is left out. */
  clean(raw: Raw, ref: Ref): Page | { skipped: string };
  /** A label for reports. */
  describe(ref: Ref): string;
}
