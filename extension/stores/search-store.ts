import { defineStore } from 'pinia';
import { computed, nextTick, reactive, ref, shallowRef } from 'vue';
import { liveQuery } from 'dexie';
import { getDb } from '@/db/database';
import { getKeywordIndex, type KeywordFilters, type KeywordIndex, type KeywordResult, type ResultKind, type SnippetPart } from '@/search/retrieval';
import { useStatusStore } from './status-store';
import { semanticResults } from '@/search/retrieval';
import { prepareQuery, warmUpAi } from '@/ai/offscreen-client';
import { applyRankPrior } from '@shared/signals/rank-prior';

/** A named moment of opening (the cold-start bench reads them: bench/cold-start/). */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

/** With no query the panel lists recent items; more than this is never useful there. */
export const RECENT_LIMIT = 300;

export interface FilterInputs {
  kind: ResultKind | 'all';
  site: string;
  /** `YYYY-MM-DD` from <input type=date>, or ''. */
  from: string;
  to: string;
  /** Leave out pages the content signals call spam (issue 14). */
  hideSpam?: boolean;
}

function dayStart(value: string): number | undefined {
  if (!value) return undefined;
  const t = new Date(`${value}T00:00:00`).getTime();
  return Number.isNaN(t) ? undefined : t;
}

export function toKeywordFilters(inputs: FilterInputs, query: string): KeywordFilters & { hideSpam?: boolean } {
  const from = dayStart(inputs.from);
  const toStart = dayStart(inputs.to);
  return {
    kind: inputs.kind,
    site: inputs.site.trim() || undefined,
    from,
    to: toStart === undefined ? undefined : toStart + 24 * 60 * 60 * 1000 - 1,
    limit: query.trim() ? undefined : RECENT_LIMIT,
    ...(inputs.hideSpam ? { hideSpam: true } : {}),
  };
}

/** The side panel's search: query, filters, results, and the keyword index kept live. */
export const useSearchStore = defineStore('search', () => {
  const status = useStatusStore();
  const query = ref('');
  const filters = reactive<FilterInputs>({ kind: 'all', site: '', from: '', to: '' });
  const results = shallowRef<KeywordResult[]>([]);
  /** The query `results` answer (the box may already hold a newer one, waiting for the debounce). */
  const shownQuery = ref('');
  /** Which ranking `results` come from: keyword at once, hybrid once the offscreen embedder answered. */
  const ranking = ref<'keyword' | 'hybrid'>('keyword');
  /** Why search by meaning could not answer (the offscreen document down, its model failed to load):
   * the list is keyword matches only. Cleared by the next hybrid answer or an empty query. */
  const meaningUnavailable = ref<string | null>(null);
  const indexed = ref(0);
  const ready = ref(false);
  let index: KeywordIndex | undefined;
  let stopLive: (() => void) | undefined;

  let runId = 0;
  function run(): void {
    if (!index) return;
    const id = ++runId;
    const q = query.value;
    const f = toKeywordFilters(filters, q);
    // The offscreen document embeds the query while this page ranks keywords (search by meaning below).
    if (q.trim() && f.kind !== 'search') prepareQuery(q);
    const found = index.search(q, f);
    // Spam pages rank lower (content signals); newest-first lists keep their order unless hidden.
    results.value = q.trim() ? applyRankPrior(found, f.hideSpam) : f.hideSpam ? found.filter((r) => !r.spam) : found;
    shownQuery.value = q.trim();
    ranking.value = 'keyword';
    // Search by meaning (ai/): keyword results show at once, the hybrid list replaces them when the
    // offscreen embedder answers; a newer run wins, and null (AI unavailable) keeps the keyword list.
    if (!q.trim()) meaningUnavailable.value = null;
    const unavailable = (reason: string) => {
      if (id === runId) meaningUnavailable.value = reason.slice(0, 300);
    };
    void semanticResults(q, f, index, results.value, unavailable).then((hybrid) => {
      if (hybrid && id === runId) {
        results.value = hybrid;
        ranking.value = 'hybrid';
        meaningUnavailable.value = null;
      }
    });
  }

  async function refresh(): Promise<void> {
    if (!index) return;
    const applied = await index.catchUp();
    // A page's text may have changed (recaptured): its snippet must be cut from the new text.
    if (applied > 0) snippets.clear();
    indexed.value = index.size;
    if (applied > 0) run();
  }

  async function init(open: () => Promise<KeywordIndex> = getKeywordIndex): Promise<void> {
    if (index) return;
    await status.guard(async () => {
      mark('search:init');
      index = await open();
      mark('search:index-open');
      indexed.value = index.size;
      ready.value = true;
      run();
      mark('search:first-run');
      startLive();
      // Only now bring up the offscreen document's model: extension pages share one main thread in
      // Chromium, so loading it alongside the keyword index delayed the first results.
      await nextTick();
      setTimeout(warmUpAi, 0);
    });
  }

  /** Follows the change log's head: a write from any context (the background capturing a page) makes
   * the index catch up, a cheap no-op when nothing new touched it. */
  function startLive(): void {
    if (stopLive) return;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const subscription = liveQuery(() => getDb().changes.orderBy('seq').lastKey()).subscribe({
      next: () => {
        clearTimeout(pending);
        pending = setTimeout(() => void status.guard(refresh), 150);
      },
      error: (error) => status.report(error),
    });
    stopLive = () => {
      clearTimeout(pending);
      subscription.unsubscribe();
    };
  }

  async function close(): Promise<void> {
    stopLive?.();
    stopLive = undefined;
    await index?.close();
  }

  // Rows ask again whenever the list is replaced (the hybrid list after the keyword list, a re-run after
  // a capture): the same result with the same terms gets the same snippet without re-reading page text.
  const snippets = new Map<string, Promise<SnippetPart[]>>();
  function snippet(result: KeywordResult): Promise<SnippetPart[]> {
    if (!index) return Promise.resolve([]);
    const key = [result.id, result.stemmed ? 'stems' : 'words', result.terms.join(' '), result.note ?? '', result.snippetSource ?? ''].join('\u0000');
    let parts = snippets.get(key);
    if (!parts) {
      if (snippets.size >= 1000) snippets.clear();
      parts = index.snippet(result);
      snippets.set(key, parts);
      parts.catch(() => snippets.delete(key));
    }
    return parts;
  }

  function titleParts(result: KeywordResult): SnippetPart[] {
    return index ? index.titleParts(result) : [{ text: result.title, match: false }];
  }

  const isRecent = computed(() => shownQuery.value === '');

  return { query, shownQuery, ranking, meaningUnavailable, filters, results, indexed, ready, isRecent, run, refresh, init, close, snippet, titleParts };
});
