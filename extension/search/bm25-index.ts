import { analyze } from './analyzer';
import { IdTable } from './id-table';

/**
 * The ranking keyword index: BM25F over a compact inverted index in typed arrays.
 *
 * Why our own and not MiniSearch (which the instant, type-ahead list keeps using for its prefix and
 * fuzzy matching): hybrid ranking needs the any-term BM25 list of every query, and MiniSearch builds a
 * result object and a Map entry per matching document per term. At 100,000 chunks a 4-word query
 * touches tens of thousands of documents and took ~95 ms (Node) — ten times the whole hybrid query's
 * budget. Here a query adds into one Float32Array of scores (pruned: MaxScore) and keeps the best k in a small heap:
 * `npm run bench -- latency` shows both.
 *
 * Layout: documents get dense slots; each term owns a posting list (slots, and one term frequency per
 * field). Removal is lazy — the slot is marked dead and the term's document frequency drops at once
 * (so idf stays exact), while its postings are skipped at query time and swept out by `compact()` once
 * dead slots pass a quarter of all slots. The sweep renumbers slots, so slots never leave this module.
 *
 * Scoring (BM25F, Robertson & Zaragoza): per field, tf is length-normalised against that field's
 * average length and weighted by the field's boost; the weighted sum saturates once through k1. That
 * keeps a title match from counting twice the way summing separate per-field BM25 scores does.
 */

export interface Bm25Options {
  /** Field names, in the order `add` reads them. */
  fields: readonly string[];
  /** Weight of each field's term frequency (default 1). */
  boost?: Readonly<Record<string, number>>;
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0 (none) – 1 (full). Default 0.75. */
  b?: number;
  /** Text → index terms; the same at index and query time. Default: the stemming analyser. */
  analyze?: (text: string) => string[];
}

export interface Bm25Hit {
  id: string;
  score: number;
  /** How many of the query's distinct terms this document contains. */
  matched: number;
}

export interface Bm25Result {
  hits: Bm25Hit[];
  /** The query's distinct index terms (after analysis), known to the index or not. */
  terms: string[];
  /**
   * The score a document would reach by containing every query term many times: the sum of the terms'
   * idf (a term no document has counts with the idf of df = 0). `score / maxScore` is then an
   * idf-weighted share of the query a document matches, comparable across queries and collections.
   */
  maxScore: number;
  /** With pseudo-relevance feedback: the query's own list, before the feedback words were added. */
  firstPass?: Bm25Hit[];
}

/**
 * Serialised form: a handful of flat binary arrays (and the field names), so IndexedDB stores it as a
 * few ArrayBuffers instead of structured-cloning an object graph, and loading it wraps those buffers
 * instead of copying postings. Taken after `compact()`: every slot is live.
 */
export interface Bm25Snapshot {
  /** 3: ids' ends in bytes (2 counted UTF-16 units of the decoded text, so loading decoded every id). */
  version: 3;
  fields: string[];
  /** Document ids, UTF-8, concatenated; `idEnds[s]` is the byte where slot s's id ends. */
  idText: Uint8Array;
  idEnds: Uint32Array;
  /** `fields.length` lengths per slot. */
  lengths: Uint32Array;
  /** Terms, the same way. */
  termText: Uint8Array;
  termEnds: Uint32Array;
  /** Per term: its postings count, and where its bytes end in `postings`. */
  counts: Uint32Array;
  postingEnds: Uint32Array;
  postings: Uint8Array;
  /** Per slot: where its distinct terms (ascending term numbers, delta varints) end in `forward`. */
  forwardEnds: Uint32Array;
  forward: Uint8Array;
}

/** Postings per skip block: a probe for a document decodes at most this many postings of a list. */
const BLOCK = 128;
const MAX_TF = 65535;

export class Bm25Index {
  readonly fields: readonly string[];
  private readonly boost: Float32Array;
  private readonly k1: number;
  private readonly b: number;
  private readonly analyzeText: (text: string) => string[];

  /**
   * The term dictionary: term → term number, and per term number its postings, compressed. A posting is
   * one varint: (slot − previous slot) · 4 + code, where code 0–2 means "only the last field, tf = code + 1"
   * (most postings: a word once or twice in the body), and code 3 is followed by one varint tf per field.
   * Lists only ever grow at the end (new documents take new, higher slots), so appending never
   * re-encodes; `compact()` rewrites them.
   */
  private termNo = new Map<string, number>();
  private termStr: string[] = [];
  /** Document frequency over live documents; 0 for a term no live document holds (postings emptied). */
  private df = new Int32Array(64);
  /** Postings in the list (live or not yet swept), bytes used, and the last slot appended. */
  private count = new Uint32Array(64);
  private used = new Uint32Array(64);
  private lastSlot = new Int32Array(64);
  private bytes: (Uint8Array | null)[] = [];
  /** Per term, every BLOCK postings: the slot before the block and the byte where it starts. Built when
   * a list is first probed and rebuilt when it grew since; `skipOf[t]` = the count it was built for. */
  private skips: (Uint32Array | null)[] = [];
  private skipOf = new Uint32Array(64);
  /** Cache of termBound: the largest field-weighted normalised tf (NaN: not computed), and the average
   * lengths it used (`fields.length` per term). */
  private maxW = new Float64Array(64).fill(NaN);
  private maxAvg = new Float64Array(64);
  /** The term dictionary's live terms as term numbers in string order (typeahead); null after a term came or went. */
  private sortedTerms: Uint32Array | null = null;

  /** Slot ↔ document id (removed slots marked dead until `compact`). */
  private idTable = new IdTable();
  /** The forward index: each slot's distinct term numbers, ascending, as delta varints, ending at
   * `forwardEnds[slot]` — so removal can lower their document frequencies and feedback can read a
   * document's words. */
  private forward: Uint8Array = new Uint8Array(1024);
  private forwardEnds: Uint32Array = new Uint32Array(64);
  /** Field lengths in terms, `fields.length` per slot. */
  private lengths: Uint32Array = new Uint32Array(64);
  private totalLength: Float64Array;
  private dead = 0;
  // Query scratch, grown with the slot count and reused (a query allocates only its results).
  private scores = new Float32Array(0);
  private matchedCount = new Uint8Array(0);
  private touched = new Uint32Array(0);
  private norm = new Float32Array(0);
  private normKey = '';

  constructor(options: Bm25Options) {
    this.fields = [...options.fields];
    this.boost = Float32Array.from(this.fields, (f) => options.boost?.[f] ?? 1);
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.analyzeText = options.analyze ?? analyze;
    this.totalLength = new Float64Array(this.fields.length);
  }

  /** Live documents. */
  get size(): number {
    return this.idTable.size;
  }

  has(id: string): boolean {
    return this.idTable.has(id);
  }

  /** The term's number, made when new. */
  private termOf(term: string): number {
    let t = this.termNo.get(term);
    if (t !== undefined) return t;
    t = this.termStr.length;
    this.termStr.push(term);
    this.termNo.set(term, t);
    this.bytes.push(null);
    this.skips.push(null);
    if (this.df.length <= t) {
      const n = this.df.length * 2;
      this.df = grow(this.df, n);
      this.count = grow(this.count, n);
      this.used = grow(this.used, n);
      this.lastSlot = grow(this.lastSlot, n);
      this.skipOf = grow(this.skipOf, n);
      const maxW = new Float64Array(n).fill(NaN);
      maxW.set(this.maxW);
      this.maxW = maxW;
    }
    const F = this.fields.length;
    if (this.maxAvg.length < (t + 1) * F) this.maxAvg = grow(this.maxAvg, (t + 1) * F);
    this.lastSlot[t] = -1;
    return t;
  }

  /** Appends a posting (slot above every slot the list has). */
  private append(t: number, slot: number, tf: Uint16Array): void {
    const F = this.fields.length;
    let simple = true;
    for (let f = 0; f < F - 1; f++) if (tf[f]) simple = false;
    const last = tf[F - 1]!;
    const code = simple && last >= 1 && last <= 3 ? last - 1 : 3;
    let buf = this.bytes[t];
    let at = this.used[t]!;
    const need = at + 5 + (code === 3 ? 3 * F : 0);
    if (!buf || buf.length < need) {
      const next = new Uint8Array(Math.max(need, 8, buf ? buf.length + (buf.length >> 1) : 0));
      if (buf) next.set(buf.subarray(0, at));
      this.bytes[t] = buf = next;
    }
    at = putVarint(buf, at, (slot - this.lastSlot[t]!) * 4 + code);
    if (code === 3) for (let f = 0; f < F; f++) at = putVarint(buf, at, tf[f]!);
    this.used[t] = at;
    this.lastSlot[t] = slot;
    this.count[t]!++;
    this.maxW[t] = NaN;
  }

  /** Adds a document, replacing any with the same id. Missing fields count as empty. */
  add(id: string, fields: Readonly<Record<string, string | undefined>>): void {
    const old = this.idTable.slotOf(id);
    if (old >= 0) this.removeSlot(old);
    const F = this.fields.length;
    const slot = this.idTable.add(id);
    if (this.lengths.length < (slot + 1) * F) this.lengths = grow(this.lengths, (slot + 1) * F);
    const counts = new Map<string, Uint16Array>();
    for (let f = 0; f < F; f++) {
      const text = fields[this.fields[f]!];
      if (!text) continue;
      const terms = this.analyzeText(text);
      this.lengths[slot * F + f] = terms.length;
      this.totalLength[f]! += terms.length;
      for (const t of terms) {
        let c = counts.get(t);
        if (!c) counts.set(t, (c = new Uint16Array(F)));
        if (c[f]! < MAX_TF) c[f]!++;
      }
    }
    const mine = new Uint32Array(counts.size);
    let i = 0;
    for (const [term, c] of counts) {
      const t = this.termOf(term);
      if (this.df[t] === 0) this.sortedTerms = null;
      this.append(t, slot, c);
      this.df[t]!++;
      mine[i++] = t;
    }
    mine.sort();
    let at = slot > 0 ? this.forwardEnds[slot - 1]! : 0;
    if (this.forward.length < at + 5 * mine.length) this.forward = grow(this.forward, at + 5 * mine.length);
    let prev = 0;
    for (const t of mine) {
      at = putVarint(this.forward, at, t - prev);
      prev = t;
    }
    if (this.forwardEnds.length <= slot) this.forwardEnds = grow(this.forwardEnds, slot + 1);
    this.forwardEnds[slot] = at;
  }

  /** The slot's distinct term numbers (from the forward index). */
  private termsAt(slot: number, visit: (t: number) => void): void {
    const buf = this.forward;
    let at = slot > 0 ? this.forwardEnds[slot - 1]! : 0;
    const end = this.forwardEnds[slot]!;
    let t = 0;
    while (at < end) {
      let b = buf[at++]!;
      let v = b & 127;
      for (let m = 128; b & 128; m *= 128) v += ((b = buf[at++]!) & 127) * m;
      visit((t += v));
    }
  }

  /** Removes a document (no-op when absent). */
  remove(id: string): void {
    const slot = this.idTable.slotOf(id);
    if (slot >= 0) this.removeSlot(slot);
  }

  private removeSlot(slot: number): void {
    this.idTable.remove(slot);
    const F = this.fields.length;
    for (let f = 0; f < F; f++) this.totalLength[f]! -= this.lengths[slot * F + f]!;
    this.termsAt(slot, (t) => {
      if (--this.df[t]! === 0) {
        // No live document holds it: its postings go (as a new list if it comes back).
        this.bytes[t] = null;
        this.skips[t] = null;
        this.count[t] = 0;
        this.used[t] = 0;
        this.lastSlot[t] = -1;
        this.maxW[t] = NaN;
        this.sortedTerms = null;
      }
    });
    this.dead++;
    if (this.dead > 1000 && this.dead * 4 > this.idTable.slots) this.compact();
  }

  /** Sweeps removed documents out of every posting list and renumbers slots densely. */
  compact(): void {
    if (this.dead === 0) return;
    const F = this.fields.length;
    const slots = this.idTable.slots;
    const remap = new Int32Array(slots);
    const idTable = this.idTable.compacted(remap);
    const lengths = new Uint32Array(Math.max(64, idTable.size * F));
    const forwardEnds = new Uint32Array(Math.max(64, idTable.size));
    let forwardSize = 0;
    for (let s = 0; s < slots; s++) {
      const to = remap[s]!;
      if (to < 0) continue;
      lengths.set(this.lengths.subarray(s * F, s * F + F), to * F);
      forwardSize += this.forwardEnds[s]! - (s > 0 ? this.forwardEnds[s - 1]! : 0);
      forwardEnds[to] = forwardSize;
    }
    const forward = new Uint8Array(Math.max(1024, forwardSize));
    for (let s = 0, at = 0; s < slots; s++) {
      if (remap[s]! < 0) continue;
      const from = s > 0 ? this.forwardEnds[s - 1]! : 0;
      forward.set(this.forward.subarray(from, this.forwardEnds[s]!), at);
      at += this.forwardEnds[s]! - from;
    }
    const tf = new Uint16Array(F);
    for (let t = 0; t < this.termStr.length; t++) {
      const old = this.bytes[t];
      if (!old || this.count[t] === 0) continue;
      const n = this.count[t]!;
      this.bytes[t] = null;
      this.count[t] = 0;
      this.used[t] = 0;
      this.lastSlot[t] = -1;
      this.skips[t] = null;
      const maxW = this.maxW[t]!;
      eachPosting(old, n, F, tf, (slot) => {
        const to = remap[slot]!;
        if (to >= 0) this.append(t, to, tf);
      });
      // A sweep only lowers the largest tf: the cached bound stays an upper bound.
      this.maxW[t] = maxW;
    }
    this.idTable = idTable;
    this.lengths = lengths;
    this.forward = forward;
    this.forwardEnds = forwardEnds;
    this.dead = 0;
    this.pack();
  }

  /**
   * The best `limit` documents for a query, any term matching, best first (ties by id so results are
   * stable). `accept` filters by document id (the side panel's kind/site/date filters).
   */
  search(query: string, limit: number, accept?: (id: string) => boolean): Bm25Result {
    const terms = [...new Set(this.analyzeText(query))];
    return this.searchWeighted(terms, new Float32Array(terms.length).fill(1), terms.length, limit, accept);
  }

  /**
   * The same search with pseudo-relevance feedback: the words the best `feedback.docs` documents share
   * (weighted by each document's score, favouring rare words) are added to the query with at most
   * `feedback.weight` of an original term's say. Classic collections gain because relevant documents
   * use the words of the first few relevant ones; a query whose first pass found nothing is left alone.
   * `matched` and `maxScore` still count the query's own terms only, so score / maxScore stays the
   * share of the query a document holds.
   */
  searchWithFeedback(query: string, limit: number, feedback: { docs: number; terms: number; weight: number }, accept?: (id: string) => boolean): Bm25Result {
    const own = [...new Set(this.analyzeText(query))];
    const firstLimit = Math.max(limit, feedback.docs);
    let firstPass: Bm25Hit[] | undefined;
    // The feedback words are added onto the first pass's scores (not a second walk of the query's own
    // terms): the same sums, half the work on a long query.
    const result = this.searchWeighted(own, new Float32Array(own.length).fill(1), own.length, firstLimit, accept, (first) => {
      if (feedback.docs <= 0 || feedback.terms <= 0 || feedback.weight <= 0 || first.length === 0) return null;
      const chosen = this.feedbackTerms(first.slice(0, feedback.docs), own, feedback.terms);
      if (chosen.length === 0) return null;
      firstPass = first.slice(0, limit);
      const top = chosen[0]![1];
      return { terms: chosen.map(([t]) => t), weights: chosen.map(([, m]) => (feedback.weight * m) / top), limit };
    });
    return { ...result, hits: result.hits.slice(0, limit), ...(firstPass ? { firstPass } : {}) };
  }

  /** The words the seed documents share (each spreading its share of the first pass's score over its
   * distinct words), weighted towards rare ones: the best `count`, with their weights. */
  private feedbackTerms(seeds: Bm25Hit[], ownTerms: string[], count: number): [string, number][] {
    const N = this.idTable.size;
    const own = new Set<number>();
    for (const term of ownTerms) {
      const t = this.termNo.get(term);
      if (t !== undefined) own.add(t);
    }
    const mass = new Map<number, number>();
    const total = seeds.reduce((a, h) => a + h.score, 0) || 1;
    const terms: number[] = [];
    for (const h of seeds) {
      terms.length = 0;
      this.termsAt(this.idTable.slotOf(h.id), (t) => void terms.push(t));
      const share = h.score / total / Math.max(terms.length, 1);
      for (const t of terms) if (!own.has(t)) mass.set(t, (mass.get(t) ?? 0) + share);
    }
    const candidates: [string, number][] = [];
    for (const [t, m] of mass) {
      const df = this.df[t]!;
      // A word of a single feedback document, or one most documents have, says nothing about relevance.
      if (df < 2 || df > N / 4) continue;
      candidates.push([this.termStr[t]!, m * Math.log(1 + (N - df + 0.5) / (df + 0.5))]);
    }
    candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return candidates.slice(0, count);
  }

  /** The live terms in string order (term numbers). */
  private dictionary(): Uint32Array {
    if (this.sortedTerms) return this.sortedTerms;
    const live: number[] = [];
    for (let t = 0; t < this.termStr.length; t++) if (this.df[t]! > 0) live.push(t);
    const str = this.termStr;
    live.sort((a, b) => (str[a]! < str[b]! ? -1 : str[a]! > str[b]! ? 1 : 0));
    return (this.sortedTerms = Uint32Array.from(live));
  }

  /**
   * Type-ahead from this same index, no second copy of the postings: every word but the last is
   * matched as typed (after analysis); the last one, being typed, expands to the dictionary's terms it
   * begins (the `expansions` most frequent) or, when it begins none and has 4 letters or more, to terms
   * one edit away (two from 8) — typo tolerance on the sorted term dictionary, never on documents. Expansions weigh less than an
   * exact term, a typo less than a prefix.
   */
  typeahead(query: string, limit: number, accept?: (id: string) => boolean, expansions = TYPEAHEAD_EXPANSIONS, postingBudget = TYPEAHEAD_POSTINGS): Bm25Result {
    const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return { hits: [], terms: [], maxScore: 0 };
    const last = words[words.length - 1]!;
    const done = [...new Set(this.analyzeText(words.slice(0, -1).join(' ')))];
    const weights = new Map<string, number>(done.map((t) => [t, 1]));
    const own = this.analyzeText(last)[0];
    if (own !== undefined) weights.set(own, 1);
    const dict = this.dictionary();
    const str = this.termStr;
    const dfs = this.df;
    // Prefix: binary search for the first term ≥ `last`, then walk while it begins with `last`.
    let lo = 0;
    let hi = dict.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (str[dict[mid]!]! < last) lo = mid + 1;
      else hi = mid;
    }
    // The most frequent `expansions` of the prefix, kept in a small sorted list as the walk goes: a
    // one-letter prefix spans thousands of terms, and sorting them all was most of a keystroke.
    const prefixed: number[] = [];
    const ranksBefore = (a: number, b: number) => dfs[a]! > dfs[b]! || (dfs[a] === dfs[b] && str[a]! < str[b]!);
    let begins = 0;
    for (let i = lo; expansions > 0 && i < dict.length && str[dict[i]!]!.startsWith(last); i++, begins++) {
      const t = dict[i]!;
      if (prefixed.length === expansions && !ranksBefore(t, prefixed[expansions - 1]!)) continue;
      let at = prefixed.length === expansions ? expansions - 1 : prefixed.length;
      while (at > 0 && ranksBefore(t, prefixed[at - 1]!)) at--;
      prefixed.splice(at, 0, t);
      if (prefixed.length > expansions) prefixed.pop();
    }
    // Past the most frequent one, expansions are taken while their postings together stay within a
    // keystroke's budget: at a million chunks the eight most frequent completions of a short prefix
    // hold hundreds of thousands of postings each, and walking them all was ~55 ms a keystroke.
    let postings = 0;
    for (let i = 0; i < prefixed.length; i++) {
      const t = prefixed[i]!;
      postings += this.count[t]!;
      if (i > 0 && postings > postingBudget) break;
      if (!weights.has(str[t]!)) weights.set(str[t]!, 0.8);
    }
    // Typos only when the word as typed begins no term and is no word of the dictionary once analysed
    // ("tides" is stored as "tide"): a real prefix is being typed and a known word was typed, neither
    // mistyped (and the dictionary walk is the costly part of a keystroke).
    const known = own !== undefined && (this.df[this.termNo.get(own) ?? -1] ?? 0) > 0;
    if (last.length >= 4 && begins === 0 && !known) {
      const maxEdits = last.length >= 8 ? 2 : 1;
      const typos: number[] = [];
      for (const t of dict) {
        const s = str[t]!;
        if (Math.abs(s.length - last.length) <= maxEdits && !weights.has(s) && withinEdits(last, s, maxEdits)) typos.push(t);
      }
      typos.sort((a, b) => dfs[b]! - dfs[a]! || (str[a]! < str[b]! ? -1 : 1));
      for (const t of typos.slice(0, expansions)) weights.set(str[t]!, 0.5);
    }
    const terms = [...weights.keys()];
    return this.searchWeighted(terms, Float32Array.from(terms, (t) => weights.get(t)!), terms.length, limit, accept);
  }

  /** The term's skip entries (see `skips`), built or rebuilt if the list grew since; null for a list
   * short enough to decode whole. */
  private skipsFor(t: number): Uint32Array | null {
    const n = this.count[t]!;
    if (n < 2 * BLOCK) return null;
    if (this.skips[t] && this.skipOf[t] === n) return this.skips[t]!;
    const sk = new Uint32Array(2 * Math.floor((n - 1) / BLOCK));
    const buf = this.bytes[t]!;
    let at = 0;
    let slot = -1;
    const F = this.fields.length;
    for (let i = 0; i < n; i++) {
      if (i > 0 && i % BLOCK === 0) {
        sk[2 * (i / BLOCK - 1)] = slot;
        sk[2 * (i / BLOCK - 1) + 1] = at;
      }
      let b = buf[at++]!;
      let v = b & 127;
      for (let m = 128; b & 128; m *= 128) v += ((b = buf[at++]!) & 127) * m;
      const code = v & 3;
      slot += (v - code) / 4;
      if (code === 3) for (let f = 0; f < F; f++) while (buf[at++]! & 128);
    }
    this.skips[t] = sk;
    this.skipOf[t] = n;
    return sk;
  }

  /**
   * Any-term BM25F over `terms` with per-term weights. Only the first `own` terms are the query's own:
   * they alone count towards `matched`, `terms` and `maxScore` (the rest are feedback words).
   *
   * Term at a time, with MaxScore-style pruning (Turtle & Flood): no term can add more than its bound
   * (`termBound`). Terms are walked from the highest bound down; once the k-th best score so far
   * exceeds what all the terms still to come could add together, no document they alone would bring
   * can reach the top k, and only documents already within reach of it can still move in. Those few
   * are then looked up in the remaining terms' postings (slot order, jumping over whole blocks of
   * postings by their skip entries) instead of walking them: a pasted sentence's common words (long
   * lists, small idf) cost a few probes, not a full walk. The result is the exhaustive one — the same
   * documents and ties.
   */
  private searchWeighted(
    terms: string[],
    weights: Float32Array,
    own: number,
    limit: number,
    accept?: (id: string) => boolean,
    more?: (first: Bm25Hit[]) => { terms: string[]; weights: number[]; limit: number } | null,
  ): Bm25Result {
    const idTable = this.idTable;
    const n = idTable.slots;
    if (this.scores.length < n) {
      this.scores = new Float32Array(n + (n >> 1));
      this.matchedCount = new Uint8Array(this.scores.length);
      this.touched = new Uint32Array(this.scores.length);
    }
    const { scores, matchedCount, touched, k1 } = this;
    const hasDead = idTable.hasDead;
    const idOf = (s: number) => idTable.idAt(s);
    const byId = (a: number, b: number) => idTable.compare(a, b);
    const F = this.fields.length;
    const lastF = F - 1;
    const N = idTable.size;
    const avg = this.averages();
    const inv = this.normalisers(avg);
    const boost = this.boost;
    const lastBoost = boost[lastF]!;
    let maxScore = 0;
    const walkOf = (list: string[], w: ArrayLike<number>, ownCount: number) => {
      const out: { t: number; qw: number; own: boolean; bound: number }[] = [];
      for (let ti = 0; ti < list.length; ti++) {
        const t = this.termNo.get(list[ti]!);
        const df = t === undefined ? 0 : this.df[t]!;
        const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
        if (ti < ownCount) maxScore += idf;
        const qw = idf * w[ti]!;
        if (t === undefined || df === 0 || !(qw > 0)) continue;
        out.push({ t, qw, own: ti < ownCount, bound: this.termBound(t, avg, qw) });
      }
      return out.sort((x, y) => y.bound - x.bound);
    };
    // A slot is "touched" once it has any score; matchedCount only counts the query's own terms, so
    // once words other than the query's own are walked a separate mark is kept.
    let seen: Uint8Array | null = null;
    let touchedCount = 0;
    /** Walks `walk` into the scores; with `prune`, stops walking once the rest can only be probed for
     * the documents within reach of the top `prune` (then those are the only candidates left). */
    const accumulate = (walk: ReturnType<typeof walkOf>, prune: number): Uint32Array | null => {
      const rest = new Float64Array(walk.length + 1);
      for (let j = walk.length - 1; j >= 0; j--) rest[j] = rest[j + 1]! + walk[j]!.bound;
      for (let j = 0; j < walk.length; j++) {
        const { t, qw, own: isOwn } = walk[j]!;
        const length = this.count[t]!;
        // Worth asking whether the rest can be probed instead of walked only when walking this list
        // costs more than ranking what is touched so far.
        if (prune > 0 && touchedCount >= prune && length > touchedCount) {
          const theta = kthScore(touched, touchedCount, scores, prune, idOf, byId, accept);
          if (theta > rest[j]!) {
            const reach = theta - rest[j]!;
            const within: number[] = [];
            for (let i = 0; i < touchedCount; i++) if (scores[touched[i]!]! >= reach) within.push(touched[i]!);
            const candidates = Uint32Array.from(within).sort();
            for (let r = j; r < walk.length; r++) this.probe(walk[r]!.t, walk[r]!.qw, walk[r]!.own, candidates, inv, scores, matchedCount);
            return candidates;
          }
        }
        const buf = this.bytes[t]!;
        let at = 0;
        let s = -1;
        for (let i = 0; i < length; i++) {
          let b = buf[at++]!;
          let v = b & 127;
          for (let m = 128; b & 128; m *= 128) v += ((b = buf[at++]!) & 127) * m;
          const code = v & 3;
          s += (v - code) / 4;
          let w = 0;
          if (code < 3) w = lastBoost * (code + 1) * inv[s * F + lastF]!;
          else {
            for (let f = 0; f < F; f++) {
              b = buf[at++]!;
              let x = b & 127;
              for (let m = 128; b & 128; m *= 128) x += ((b = buf[at++]!) & 127) * m;
              if (x) w += boost[f]! * x * inv[s * F + f]!;
            }
          }
          if (hasDead && idTable.isDead(s)) continue;
          if (seen) {
            if (seen[s] === 0) (seen[s] = 1), (touched[touchedCount++] = s);
          } else if (matchedCount[s] === 0) touched[touchedCount++] = s;
          if (isOwn) matchedCount[s]!++;
          scores[s]! += (qw * w) / (k1 + w);
        }
      }
      return null;
    };
    const ranked = (candidates: Uint32Array | null, k: number) =>
      topK(candidates ?? touched, candidates ? candidates.length : touchedCount, scores, k, idOf, byId, accept).map((s) => ({ id: idOf(s), score: scores[s]!, matched: matchedCount[s]! }));
    if (own < terms.length) seen = new Uint8Array(n);
    // Pruning leaves documents out of reach with partial scores: only for the last walk.
    let candidates = accumulate(walkOf(terms, weights, own), more ? 0 : limit);
    let hits = ranked(candidates, limit);
    const next = more?.(hits);
    if (next) {
      if (!seen) {
        seen = new Uint8Array(n);
        for (let i = 0; i < touchedCount; i++) seen[touched[i]!] = 1;
      }
      candidates = accumulate(walkOf(next.terms, next.weights, 0), next.limit);
      hits = ranked(candidates, next.limit);
    }
    for (let i = 0; i < touchedCount; i++) {
      scores[touched[i]!] = 0;
      matchedCount[touched[i]!] = 0;
    }
    return { hits, terms: terms.slice(0, own), maxScore };
  }

  /** Adds term `t`'s share to each of the (ascending) candidate slots that hold it: blocks of postings
   * whose slots all lie before the next candidate are jumped over by their skip entries, the rest decoded. */
  private probe(t: number, qw: number, isOwn: boolean, candidates: Uint32Array, inv: Float32Array, scores: Float32Array, matchedCount: Uint8Array): void {
    const F = this.fields.length;
    const lastF = F - 1;
    const { boost, k1 } = this;
    const buf = this.bytes[t]!;
    const n = this.count[t]!;
    const sk = this.skipsFor(t);
    const blocks = sk ? sk.length / 2 : 0;
    let at = 0;
    let s = -1;
    // Postings decoded so far; the one at index i − 1 is the current one (slot s, weight w).
    let i = 0;
    let w = 0;
    let block = 0; // skip entries already considered (entry e starts block e + 1)
    for (const target of candidates) {
      if (s >= target) {
        if (s === target && i > 0) (isOwn && matchedCount[s]!++), (scores[s]! += (qw * w) / (k1 + w));
        continue;
      }
      // Jump to the last block whose postings all come after a slot below the target.
      let jump = -1;
      while (block < blocks && sk![2 * block]! < target) {
        if ((block + 1) * BLOCK > i) jump = block;
        block++;
      }
      if (jump >= 0) {
        s = sk![2 * jump]!;
        at = sk![2 * jump + 1]!;
        i = (jump + 1) * BLOCK;
      }
      while (s < target && i < n) {
        let b = buf[at++]!;
        let v = b & 127;
        for (let m = 128; b & 128; m *= 128) v += ((b = buf[at++]!) & 127) * m;
        const code = v & 3;
        s += (v - code) / 4;
        i++;
        if (code < 3) w = boost[lastF]! * (code + 1) * inv[s * F + lastF]!;
        else {
          w = 0;
          for (let f = 0; f < F; f++) {
            b = buf[at++]!;
            let x = b & 127;
            for (let m = 128; b & 128; m *= 128) x += ((b = buf[at++]!) & 127) * m;
            if (x) w += boost[f]! * x * inv[s * F + f]!;
          }
        }
      }
      if (s === target) {
        if (isOwn) matchedCount[s]!++;
        scores[s]! += (qw * w) / (k1 + w);
      } else if (s < target) return; // the list ended
    }
  }

  /**
   * Per slot and field, 1 / (1 − b + b·length/average): read by every posting a query walks, so kept in
   * one array and recomputed only when the averages or the slots changed since the last query.
   */
  private normalisers(avg: Float64Array): Float32Array {
    const F = this.fields.length;
    const n = this.idTable.slots;
    const key = `${n} ${avg.join(' ')}`;
    if (this.normKey === key) return this.norm;
    if (this.norm.length < n * F) this.norm = new Float32Array(Math.max(n * F + ((n * F) >> 1), 64));
    const { lengths, b, norm } = this;
    for (let s = 0; s < n; s++) for (let f = 0; f < F; f++) norm[s * F + f] = 1 / (1 - b + (b * lengths[s * F + f]!) / avg[f]!);
    this.normKey = key;
    return norm;
  }

  /**
   * The most one term can add to a document's score: its query weight × the saturation of the largest
   * field-weighted, length-normalised tf among its postings. That largest w is cached with the average
   * lengths it was computed under; as averages move, w can grow by at most the largest ratio by which
   * an average grew (the normaliser 1 − b + b·len/avg shrinks by no more than that), so the cached value
   * times that ratio stays an upper bound. An added posting clears the cache; a removed one can only
   * lower the true maximum.
   */
  private termBound(t: number, avg: Float64Array, qw: number): number {
    const F = this.fields.length;
    if (Number.isNaN(this.maxW[t]!)) this.computeMaxW(t, avg);
    let grow = 1;
    for (let f = 0; f < F; f++) grow = Math.max(grow, avg[f]! / this.maxAvg[t * F + f]!);
    const w = this.maxW[t]! * grow;
    // A little over, so float32 rounding (normalisers, score sums) never lifts a real score past it.
    return ((qw * w) / (this.k1 + w)) * (1 + 1e-5);
  }

  /** termBound's cache entry for term t under the averages `avg`: one decoding pass over its postings. */
  private computeMaxW(t: number, avg: Float64Array): void {
    const F = this.fields.length;
    const lastF = F - 1;
    const { boost, lengths, b } = this;
    const buf = this.bytes[t]!;
    const n = this.count[t]!;
    let max = 0;
    let at = 0;
    let s = -1;
    for (let i = 0; i < n; i++) {
      let c = buf[at++]!;
      let v = c & 127;
      for (let m = 128; c & 128; m *= 128) v += ((c = buf[at++]!) & 127) * m;
      const code = v & 3;
      s += (v - code) / 4;
      let w = 0;
      if (code < 3) w = (boost[lastF]! * (code + 1)) / (1 - b + (b * lengths[s * F + lastF]!) / avg[lastF]!);
      else {
        for (let f = 0; f < F; f++) {
          c = buf[at++]!;
          let x = c & 127;
          for (let m = 128; c & 128; m *= 128) x += ((c = buf[at++]!) & 127) * m;
          if (x) w += (boost[f]! * x) / (1 - b + (b * lengths[s * F + f]!) / avg[f]!);
        }
      }
      if (w > max) max = w;
    }
    this.maxW[t] = max;
    this.maxAvg.set(avg, t * F);
  }

  /** The average field lengths over live documents (what length normalisation divides by). */
  private averages(): Float64Array {
    const N = this.idTable.size;
    return Float64Array.from(this.totalLength, (t) => (N > 0 ? Math.max(t / N, 1e-9) : 1));
  }

  /** Fills termBound's cache for every term lacking it: after a bulk build, so queries don't each pay
   * a decoding pass over their terms' lists the first time a term is asked for. */
  private computeBounds(): void {
    const avg = this.averages();
    for (let t = 0; t < this.termStr.length; t++) if (this.count[t] && Number.isNaN(this.maxW[t]!)) this.computeMaxW(t, avg);
  }

  /**
   * Moves every posting list into one buffer of exactly their size (each list then a view of it) and
   * trims the per-slot arrays: lists built one document at a time each own a buffer with room to grow
   * (a quarter or more of it unused, and a buffer object per term). Call after a bulk build; a list a
   * later document is added to is copied out of the shared buffer again, alone.
   */
  pack(): void {
    const T = this.termStr.length;
    let total = 0;
    for (let t = 0; t < T; t++) if (this.count[t]) total += this.used[t]!;
    const arena = new Uint8Array(total);
    for (let t = 0, at = 0; t < T; t++) {
      const buf = this.bytes[t];
      if (!buf || !this.count[t]) continue;
      const used = this.used[t]!;
      arena.set(buf.subarray(0, used), at);
      this.bytes[t] = arena.subarray(at, at + used);
      at += used;
    }
    const n = this.idTable.slots;
    const F = this.fields.length;
    this.forward = this.forward.slice(0, n > 0 ? this.forwardEnds[n - 1]! : 0);
    this.forwardEnds = this.forwardEnds.slice(0, n);
    this.lengths = this.lengths.slice(0, n * F);
    this.computeBounds();
  }

  /** Bytes the index's arrays hold (postings, forward index, lengths, dictionary arrays; not the id and
   * term strings): what the compression is judged by. */
  get postingBytes(): number {
    let total = this.forward.byteLength + this.forwardEnds.byteLength + this.lengths.byteLength;
    for (const b of this.bytes) if (b) total += b.byteLength;
    return total;
  }

  toSnapshot(): Bm25Snapshot {
    this.compact();
    const F = this.fields.length;
    const n = this.idTable.slots;
    const T = this.termStr.length;
    const postingEnds = new Uint32Array(T);
    let total = 0;
    for (let t = 0; t < T; t++) postingEnds[t] = total += this.count[t] ? this.used[t]! : 0;
    const postings = new Uint8Array(total);
    for (let t = 0, at = 0; t < T; t++) {
      if (!this.count[t]) continue;
      postings.set(this.bytes[t]!.subarray(0, this.used[t]!), at);
      at += this.used[t]!;
    }
    const ids = this.idTable.toBlob();
    const terms = textBlob(this.termStr);
    return {
      version: 3,
      fields: [...this.fields],
      idText: ids.text,
      idEnds: ids.ends,
      lengths: this.lengths.slice(0, n * F),
      termText: terms.text,
      termEnds: terms.ends,
      counts: this.count.slice(0, T),
      postingEnds,
      postings,
      forwardEnds: this.forwardEnds.slice(0, n),
      forward: this.forward.slice(0, n > 0 ? this.forwardEnds[n - 1]! : 0),
    };
  }

  /**
   * Rebuilds an index from `toSnapshot()`; throws on a snapshot of other fields or a corrupt one. The
   * postings stay views of the snapshot's buffer (a list is copied out only when a document is added to
   * it), so loading costs one pass over them to check them, not a copy.
   */
  static fromSnapshot(snapshot: Bm25Snapshot, options: Bm25Options): Bm25Index {
    const index = new Bm25Index(options);
    const F = index.fields.length;
    if (snapshot.version !== 3 || snapshot.fields.join('\u0000') !== index.fields.join('\u0000')) throw new Error('BM25 snapshot is for other fields');
    const bad = () => new Error('BM25 snapshot is inconsistent');
    const ids = IdTable.fromBlob(snapshot.idText, snapshot.idEnds);
    const terms = fromTextBlob(snapshot.termText, snapshot.termEnds);
    if (!ids || !terms) throw bad();
    const n = ids.slots;
    const T = terms.length;
    const { counts, postingEnds, postings, forwardEnds, forward, lengths } = snapshot;
    if (lengths.length !== n * F || counts.length !== T || postingEnds.length !== T || forwardEnds.length !== n) throw bad();
    if ((T > 0 ? postingEnds[T - 1]! : 0) !== postings.length || (n > 0 ? forwardEnds[n - 1]! : 0) !== forward.length) throw bad();
    index.idTable = ids;
    for (let s = 0; s < n; s++) {
      for (let f = 0; f < F; f++) index.totalLength[f]! += lengths[s * F + f]!;
    }
    index.lengths = lengths;
    index.forward = forward;
    index.forwardEnds = forwardEnds;
    for (let t = 0; t < T; t++) {
      const term = terms[t]!;
      if (index.termNo.has(term)) throw bad();
      index.termOf(term);
      const start = t > 0 ? postingEnds[t - 1]! : 0;
      const end = postingEnds[t]!;
      const c = counts[t]!;
      if (end < start) throw bad();
      if (c === 0) {
        if (end !== start) throw bad();
        continue;
      }
      const buf = postings.subarray(start, end);
      const last = checkPostings(buf, c, F, n);
      if (last < 0) throw bad();
      index.bytes[t] = buf;
      index.used[t] = buf.length;
      index.count[t] = c;
      index.df[t] = c;
      index.lastSlot[t] = last;
    }
    // Every slot's forward list must decode within its bytes to known terms.
    for (let s = 0, at = 0; s < n; s++) {
      const end = forwardEnds[s]!;
      if (end < at) throw bad();
      let term = 0;
      while (at < end) {
        let b = forward[at++]!;
        let v = b & 127;
        for (let m = 128; b & 128 && at < end; m *= 128) v += ((b = forward[at++]!) & 127) * m;
        if (b & 128 || (term += v) >= T) throw bad();
      }
    }
    return index;
  }
}

function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 128) {
    buf[at++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}

/** Visits every posting of a list: its slot, with its field tfs in `tf`. */
function eachPosting(buf: Uint8Array, n: number, F: number, tf: Uint16Array, visit: (slot: number) => void): void {
  let at = 0;
  let slot = -1;
  for (let i = 0; i < n; i++) {
    let b = buf[at++]!;
    let v = b & 127;
    for (let m = 128; b & 128; m *= 128) v += ((b = buf[at++]!) & 127) * m;
    const code = v & 3;
    slot += (v - code) / 4;
    if (code < 3) {
      tf.fill(0);
      tf[F - 1] = code + 1;
    } else {
      for (let f = 0; f < F; f++) {
        b = buf[at++]!;
        let x = b & 127;
        for (let m = 128; b & 128; m *= 128) x += ((b = buf[at++]!) & 127) * m;
        tf[f] = x;
      }
    }
    visit(slot);
  }
}

/** Decodes a stored list to check it: `n` postings exactly filling `buf`, slots ascending below
 * `slots`. Returns the last slot, or −1 when the list is corrupt. */
function checkPostings(buf: Uint8Array, n: number, F: number, slots: number): number {
  let at = 0;
  let slot = -1;
  const varint = (): number => {
    let v = 0;
    for (let m = 1; ; m *= 128) {
      if (at >= buf.length || m > 2 ** 35) return -1;
      const b = buf[at++]!;
      v += (b & 127) * m;
      if (!(b & 128)) return v;
    }
  };
  for (let i = 0; i < n; i++) {
    const v = varint();
    if (v < 4) return -1;
    const code = v % 4;
    slot += (v - code) / 4;
    if (slot >= slots) return -1;
    if (code === 3) for (let f = 0; f < F; f++) if (varint() < 0) return -1;
  }
  return at === buf.length ? slot : -1;
}

/** Strings as one UTF-8 blob and where each ends (in UTF-16 units of the decoded text). */
function textBlob(strings: readonly string[]): { text: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => (ends[i] = at += s.length));
  return { text: new TextEncoder().encode(strings.join('')), ends };
}

function fromTextBlob(text: Uint8Array, ends: Uint32Array): string[] | null {
  const all = new TextDecoder().decode(text);
  const out: string[] = new Array(ends.length);
  let at = 0;
  for (let i = 0; i < ends.length; i++) {
    if (ends[i]! < at || ends[i]! > all.length) return null;
    out[i] = all.slice(at, (at = ends[i]!));
  }
  return at === all.length ? out : null;
}

/**
 * Whether `a` and `b` are at most `max` edits apart, a swap of two neighbouring letters counting as one
 * (optimal string alignment: "braed" is one edit from "bread"); stops once a whole row exceeds `max`.
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const w = b.length + 1;
  if (editRows.length < 3 * w) editRows = new Int32Array(3 * w * 2);
  let before = 0;
  let prev = w;
  let row = 2 * w;
  for (let j = 0; j < w; j++) editRows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    editRows[row] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(editRows[prev + j]! + 1, editRows[row + j - 1]! + 1, editRows[prev + j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, editRows[before + j - 2]! + 1);
      editRows[row + j] = v;
      if (v < best) best = v;
    }
    if (best > max) return false;
    [before, prev, row] = [prev, row, before];
  }
  return editRows[prev + b.length]! <= max;
}
/** Scratch rows of withinEdits (three, reused across calls). */
let editRows = new Int32Array(96);

function grow<T extends Uint32Array | Uint16Array | Int32Array | Uint8Array | Float64Array>(a: T, min: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(min, a.length * 2, 8));
  next.set(a);
  return next;
}

/**
 * The best `k` of the touched slots by score (ties: smaller id first), via a size-k min-heap: O(n log k)
 * instead of sorting every match.
 */
function topK(touched: Uint32Array, n: number, scores: Float32Array, k: number, idOf: (s: number) => string, byId: (a: number, b: number) => number, accept?: (id: string) => boolean): number[] {
  if (k <= 0) return [];
  if (!accept) {
    // Unfiltered: the k-th best score by selection, then only the documents at or above it ranked
    // (ties at the bar by id, as the heap would keep them).
    const bar = kthScore(touched, n, scores, k, idOf, byId);
    const above: number[] = [];
    const tied: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = touched[i]!;
      const x = scores[s]!;
      if (x > bar) above.push(s);
      else if (x === bar) tied.push(s);
    }
    above.sort((a, b) => scores[b]! - scores[a]! || byId(a, b));
    if (above.length < k && tied.length > 0) {
      tied.sort(byId);
      for (let i = 0; i < tied.length && above.length < k; i++) above.push(tied[i]!);
    }
    return above;
  }
  const heap: number[] = [];
  // "a ranks below b": lower score, or equal score and larger id.
  const below = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && byId(a, b) > 0);
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!below(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && below(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    const s = touched[i]!;
    if (heap.length === k && !below(heap[0]!, s)) continue;
    if (accept && !accept(idOf(s))) continue;
    if (heap.length < k) {
      heap.push(s);
      up(heap.length - 1);
    } else {
      heap[0] = s;
      down(0);
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}

/** The k-th best score among the touched slots that `accept` keeps (-Infinity when fewer): the bar
 * a document must clear to enter the top k. Only the value matters, not which of tied documents holds
 * it, so unfiltered it is a selection over the scores (linear) rather than a ranking by score and id. */
function kthScore(touched: Uint32Array, n: number, scores: Float32Array, k: number, idOf: (s: number) => string, byId: (a: number, b: number) => number, accept?: (id: string) => boolean): number {
  if (accept) {
    const best = topK(touched, n, scores, k, idOf, byId, accept);
    return best.length < k ? -Infinity : scores[best[best.length - 1]!]!;
  }
  if (k <= 0 || n < k) return -Infinity;
  if (selectScratch.length < n) selectScratch = new Float32Array(n + (n >> 1));
  const a = selectScratch;
  for (let i = 0; i < n; i++) a[i] = scores[touched[i]!]!;
  // Hoare selection of the (k−1)-th largest.
  const want = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const x = a[i]!;
        a[i++] = a[j]!;
        a[j--] = x;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return a[want]!;
}
/** kthScore's copy of the scores (reused across queries). */
let selectScratch = new Float32Array(0);

/** The first position ≥ `from` whose slot is ≥ `target` (`length` if none): galloping, then binary
 * search, so probing a long list for a few documents costs a few steps each. */
function gallop(slots: Uint32Array, length: number, from: number, target: number): number {
  if (from >= length || slots[from]! >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < length && slots[hi]! < target) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > length) hi = length;
  // slots[lo] < target; the answer is in (lo, hi].
  while (lo + 1 < hi) {
    const mid = (lo + hi) >> 1;
    if (slots[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The ranking index's settings wherever a document has a title and a text (pages, highlights, bench
 * collections): the title's terms weigh twice the body's, as in the instant keyword list.
 */
export const RANKING_INDEX_OPTIONS: Bm25Options = { fields: ['title', 'text'], boost: { title: 2 } };

/** How many results the instant (typeahead) list holds on each keystroke: more than a screen of rows,
 * shown until the hybrid list (as deep as anyone scrolls) replaces it. Deeper made the per-keystroke
 * walk the cost of typing (`npm run bench -- latency`: 500 rows were 6.6 ms CPU p95 at 100k chunks,
 * 100 rows 4.3; with 8 expansions instead of 12, 2.8–3.8). */
export const INSTANT_LIMIT = 100;

/** How many dictionary terms the word being typed expands to (the most frequent it begins). */
export const TYPEAHEAD_EXPANSIONS = 8;

/** The most postings the expansions of the word being typed may hold together (the most frequent
 * expansion is always taken): what keeps a keystroke's walk bounded as the index grows. In the latency
 * bench's text (Zipf) the commonest content word is in ~4% of chunks, so eight completions stay
 * under it at 100k chunks and are cut to two or three at 1M. */
export const TYPEAHEAD_POSTINGS = 60_000;
