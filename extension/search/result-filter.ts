/**
 * The side panel's filters (kind, site, date) as one predicate, so the keyword indexes and the vector
 * index (in the offscreen document) keep exactly the same items for the same filters.
 */

export interface ResultFilters {
  kind?: string;
  /** Only these kinds (with `kind`, both apply). */
  kinds?: readonly string[];
  /** Host, or part of one ("github" matches "github.com" and "gist.github.com"). */
  site?: string;
  /** Inclusive bounds in ms since epoch. */
  from?: number;
  to?: number;
  /** Leave out pages the content signals call spam (issue 14). */
  hideSpam?: boolean;
}

/** What a filter looks at in an item. */
export interface FilterableItem {
  kind: string;
  site: string;
  date: number;
  spam?: boolean;
}

/** The predicate of `filters`, or undefined when they keep everything (callers then skip the check). */
export function resultFilter(filters: ResultFilters): ((item: FilterableItem) => boolean) | undefined {
  const kind = filters.kind && filters.kind !== 'all' ? filters.kind : undefined;
  const { kinds, from, to, hideSpam } = filters;
  const site = filters.site?.trim().toLowerCase();
  if (!kind && !kinds && !site && from === undefined && to === undefined && !hideSpam) return undefined;
  return (item) =>
    (!kind || item.kind === kind) &&
    (!kinds || kinds.includes(item.kind)) &&
    (!site || item.site.toLowerCase().includes(site)) &&
    (from === undefined || item.date >= from) &&
    (to === undefined || item.date <= to) &&
    (!hideSpam || !item.spam);
}
