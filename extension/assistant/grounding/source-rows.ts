/** What a source row needs of a source: AskSource (the side panel's Ask) and CitedSource (the chat) both fit. */
export interface ListedSource {
  n: number;
  kind: string;
  url: string;
  title: string;
  sourceId: string;
  site?: string;
  /** Shown beside the title (a product's best price and store). */
  detail?: string;
}

export interface SourceRow<S extends ListedSource> {
  ns: number[];
  source: S;
}

/** Each page once, with every number that cites it: a page and a highlight on it are one source to a
 * reader, and the highlight is the more precise place to open, so it represents the page. */
export function sourceRows<S extends ListedSource>(sources: readonly S[]): SourceRow<S>[] {
  const rows = new Map<string, SourceRow<S>>();
  for (const s of sources) {
    const row = rows.get(s.url);
    if (!row) rows.set(s.url, { ns: [s.n], source: s });
    else {
      row.ns.push(s.n);
      if (s.kind === 'highlight' && row.source.kind !== 'highlight') row.source = s;
    }
  }
  return [...rows.values()];
}
