import { analyze } from './analyzer';

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

interface Postings {
  /** Document frequency over live documents. */
  df: number;
  length: number;
  slots: Uint32Array;
  /** `fields` term frequencies per posting, saturating at 65535. */
  tf: Uint16Array;
  /** Cache of termBound: the largest field-weighted normalised tf, and the average lengths it used. */
  maxW?: number;
  maxAvg?: Float64Array;
}



/** Serialised form: plain arrays and typed arrays, so IndexedDB stores it by structured clone. */
export interface Bm25Snapshot {
  version: 1;
  fields: string[];
  ids: (string | null)[];
  lengths: Uint32Array;
  terms: string[];
  /** Per term: df, then its postings' slots and tfs (concatenated in term order). */
  postingLengths: Uint32Array;
  slots: Uint32Array;
  tf: Uint16Array;
}

export class Bm25Index {
  readonly fields: readonly string[];
  private readonly boost: Float32Array;
  private readonly k1: number;
  private readonly b: number;
  private readonly analyzeText: (text: string) => string[];

  private postings = new Map<string, Postings>();
  /** The term dictionary, sorted: built when first asked for after a term came or went (typeahead). */
  private sortedTerms: string[] | null = null;
  /** Slot → document id (null once removed). */
  private ids: (string | null)[] = [];
  private slotOf = new Map<string, number>();
  /** Slot → the document's distinct terms, so removal can lower their document frequencies. */
  private termsOf: (string[] | null)[] = [];
  /** Field lengths in terms, `fields.length` per slot. */
  private lengths = new Uint32Array(64);
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
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a document, replacing any with the same id. Missing fields count as empty. */
  add(id: string, fields: Readonly<Record<string, string | undefined>>): void {
    if (this.slotOf.has(id)) this.remove(id);
    const F = this.fields.length;
    const slot = this.ids.length;
    this.ids.push(id);
    this.slotOf.set(id, slot);
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
        if (c[f]! < 65535) c[f]!++;
      }
    }
    for (const [term, c] of counts) {
      let p = this.postings.get(term);
      if (!p) {
        this.postings.set(term, (p = { df: 0, length: 0, slots: new Uint32Array(4), tf: new Uint16Array(4 * F) }));
        this.sortedTerms = null;
      }
      if (p.length === p.slots.length) {
        p.slots = grow(p.slots, p.length + 1);
        p.tf = grow(p.tf, (p.length + 1) * F);
      }
      p.slots[p.length] = slot;
      p.tf.set(c, p.length * F);
      p.maxW = undefined;
      p.length++;
      p.df++;
    }
    this.termsOf.push([...counts.keys()]);
  }

  /** Removes a document (no-op when absent). */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.ids[slot] = null;
    const F = this.fields.length;
    for (let f = 0; f < F; f++) this.totalLength[f]! -= this.lengths[slot * F + f]!;
    for (const term of this.termsOf[slot] ?? []) {
      const p = this.postings.get(term);
      if (p && --p.df === 0) {
        this.postings.delete(term);
        this.sortedTerms = null;
      }
    }
    this.termsOf[slot] = null;
    this.dead++;
    if (this.dead > 1000 && this.dead * 4 > this.ids.length) this.compact();
  }

  /** Sweeps removed documents out of every posting list and renumbers slots densely. */
  compact(): void {
    if (this.dead === 0) return;
    const F = this.fields.length;
    const remap = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const termsOf: string[][] = [];
    const lengths = new Uint32Array(Math.max(64, this.slotOf.size * F));
    for (let s = 0; s < this.ids.length; s++) {
      const id = this.ids[s];
      if (id === null || id === undefined) continue;
      remap[s] = ids.length;
      lengths.set(this.lengths.subarray(s * F, s * F + F), ids.length * F);
      ids.push(id);
      termsOf.push(this.termsOf[s]!);
    }
    for (const p of this.postings.values()) {
      let w = 0;
      for (let i = 0; i < p.length; i++) {
        const to = remap[p.slots[i]!]!;
        if (to < 0) continue;
        p.slots[w] = to;
        p.tf.copyWithin(w * F, i * F, i * F + F);
        w++;
      }
      p.length = w;
    }
    this.ids = ids;
    this.termsOf = termsOf;
    this.lengths = lengths;
    this.slotOf = new Map(ids.map((id, i) => [id, i]));
    this.dead = 0;
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
      const chosen = this.feedbackTerms(first.slice(0, feedback.docs), new Set(own), feedback.terms);
      if (chosen.length === 0) return null;
      firstPass = first.slice(0, limit);
      const top = chosen[0]![1];
      return { terms: chosen.map(([t]) => t), weights: chosen.map(([, m]) => (feedback.weight * m) / top), limit };
    });
    return { ...result, hits: result.hits.slice(0, limit), ...(firstPass ? { firstPass } : {}) };
  }

  /** The words the seed documents share (each spreading its share of the first pass's score over its
   * distinct words), weighted towards rare ones: the best `count`, with their weights. */
  private feedbackTerms(seeds: Bm25Hit[], own: Set<string>, count: number): [string, number][] {
    const N = this.slotOf.size;
    const mass = new Map<string, number>();
    const total = seeds.reduce((a, h) => a + h.score, 0) || 1;
    for (const h of seeds) {
      const terms = this.termsOf[this.slotOf.get(h.id)!] ?? [];
      const share = h.score / total / Math.max(terms.length, 1);
      for (const t of terms) if (!own.has(t)) mass.set(t, (mass.get(t) ?? 0) + share);
    }
    const candidates: [string, number][] = [];
    for (const [t, m] of mass) {
      const df = this.postings.get(t)?.df ?? 0;
      // A word of a single feedback document, or one most documents have, says nothing about relevance.
      if (df < 2 || df > N / 4) continue;
      candidates.push([t, m * Math.log(1 + (N - df + 0.5) / (df + 0.5))]);
    }
    candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return candidates.slice(0, count);
  }

  /**
   * Type-ahead from this same index, no second copy of the postings: every word but the last is
   * matched as typed (after analysis); the last one, being typed, expands to the dictionary's terms it
   * begins (the `expansions` most frequent) or, when it begins none and has 4 letters or more, to terms
   * one edit away (two from 8) — typo tolerance on the sorted term dictionary, never on documents. Expansions weigh less than an
   * exact term, a typo less than a prefix.
   */
  typeahead(query: string, limit: number, accept?: (id: string) => boolean, expansions = 12): Bm25Result {
    const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return { hits: [], terms: [], maxScore: 0 };
    const last = words[words.length - 1]!;
    const done = [...new Set(this.analyzeText(words.slice(0, -1).join(' ')))];
    const weights = new Map<string, number>(done.map((t) => [t, 1]));
    const own = this.analyzeText(last)[0];
    if (own !== undefined) weights.set(own, 1);
    const dict = (this.sortedTerms ??= [...this.postings.keys()].sort());
    // Prefix: binary search for the first term ≥ `last`, then walk while it begins with `last`.
    let lo = 0;
    let hi = dict.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dict[mid]! < last) lo = mid + 1;
      else hi = mid;
    }
    const df = (t: string) => this.postings.get(t)?.df ?? 0;
    // The most frequent `expansions` of the prefix, kept in a small sorted list as the walk goes: a
    // one-letter prefix spans thousands of terms, and sorting them all was most of a keystroke.
    const prefixed: string[] = [];
    const ranksBefore = (a: string, b: string) => df(a) > df(b) || (df(a) === df(b) && a < b);
    let begins = 0;
    for (let i = lo; expansions > 0 && i < dict.length && dict[i]!.startsWith(last); i++, begins++) {
      const t = dict[i]!;
      if (prefixed.length === expansions && !ranksBefore(t, prefixed[expansions - 1]!)) continue;
      let at = prefixed.length === expansions ? expansions - 1 : prefixed.length;
      while (at > 0 && ranksBefore(t, prefixed[at - 1]!)) at--;
      prefixed.splice(at, 0, t);
      if (prefixed.length > expansions) prefixed.pop();
    }
    for (const t of prefixed) if (!weights.has(t)) weights.set(t, 0.8);
    // Typos only when the word as typed begins no term: a word that is a real prefix is being typed,
    // not mistyped (and the dictionary walk is the costly part of a keystroke).
    if (last.length >= 4 && begins === 0) {
      const maxEdits = last.length >= 8 ? 2 : 1;
      const typos: string[] = [];
      for (const t of dict) if (Math.abs(t.length - last.length) <= maxEdits && !weights.has(t) && withinEdits(last, t, maxEdits)) typos.push(t);
      typos.sort((a, b) => df(b) - df(a) || (a < b ? -1 : 1));
      for (const t of typos.slice(0, expansions)) weights.set(t, 0.5);
    }
    const terms = [...weights.keys()];
    return this.searchWeighted(terms, Float32Array.from(terms, (t) => weights.get(t)!), terms.length, limit, accept);
  }

  /**
   * Any-term BM25F over `terms` with per-term weights. Only the first `own` terms are the query's own:
   * they alone count towards `matched`, `terms` and `maxScore` (the rest are feedback words).
   *
   * Term at a time, with MaxScore-style pruning (Turtle & Flood): no term can add more than its bound
   * (`termBound`). Terms are walked from the highest bound down; once the k-th best score so far
   * exceeds what all the terms still to come could add together, no document they alone would bring
   * can reach the top k, and only documents already within reach of it can still move in. Those few
   * are then looked up in the remaining terms' postings (slot order, galloping search) instead of
   * walking them: a pasted sentence's common words (long lists, small idf) cost a few probes, not a
   * full walk. The result is the exhaustive one — the same documents and ties.
   */
  private searchWeighted(
    terms: string[],
    weights: Float32Array,
    own: number,
    limit: number,
    accept?: (id: string) => boolean,
    more?: (first: Bm25Hit[]) => { terms: string[]; weights: number[]; limit: number } | null,
  ): Bm25Result {
    const n = this.ids.length;
    if (this.scores.length < n) {
      this.scores = new Float32Array(n + (n >> 1));
      this.matchedCount = new Uint8Array(this.scores.length);
      this.touched = new Uint32Array(this.scores.length);
    }
    const { scores, matchedCount, touched, ids, k1 } = this;
    const F = this.fields.length;
    const N = this.slotOf.size;
    const avg = Float64Array.from(this.totalLength, (t) => (N > 0 ? Math.max(t / N, 1e-9) : 1));
    const inv = this.normalisers(avg);
    let maxScore = 0;
    const walkOf = (list: string[], w: ArrayLike<number>, ownCount: number) => {
      const out: { p: Postings; qw: number; own: boolean; bound: number }[] = [];
      for (let ti = 0; ti < list.length; ti++) {
        const p = this.postings.get(list[ti]!);
        const df = p?.df ?? 0;
        const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
        if (ti < ownCount) maxScore += idf;
        const qw = idf * w[ti]!;
        if (!p || df === 0 || !(qw > 0)) continue;
        out.push({ p, qw, own: ti < ownCount, bound: this.termBound(p, avg, qw) });
      }
      return out.sort((x, y) => y.bound - x.bound);
    };
    const boost = this.boost;
    const weightAt = (p: Postings, i: number, s: number) => {
      let w = 0;
      for (let f = 0; f < F; f++) {
        const t = p.tf[i * F + f]!;
        if (t) w += boost[f]! * t * inv[s * F + f]!;
      }
      return w;
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
        const { p, qw, own: isOwn } = walk[j]!;
        // Worth asking whether the rest can be probed instead of walked only when walking this list
        // costs more than ranking what is touched so far.
        if (prune > 0 && touchedCount >= prune && p.length > touchedCount) {
          const theta = kthScore(touched, touchedCount, scores, prune, (s) => ids[s]!, accept);
          if (theta > rest[j]!) {
            const reach = theta - rest[j]!;
            const within: number[] = [];
            for (let i = 0; i < touchedCount; i++) if (scores[touched[i]!]! >= reach) within.push(touched[i]!);
            const candidates = Uint32Array.from(within).sort();
            for (let r = j; r < walk.length; r++) {
              const t = walk[r]!;
              let at = 0;
              for (const s of candidates) {
                at = gallop(t.p.slots, t.p.length, at, s);
                if (at >= t.p.length) break;
                if (t.p.slots[at] !== s) continue;
                const w = weightAt(t.p, at, s);
                if (t.own) matchedCount[s]!++;
                scores[s]! += (t.qw * w) / (k1 + w);
              }
            }
            return candidates;
          }
        }
        const { slots } = p;
        for (let i = 0; i < p.length; i++) {
          const s = slots[i]!;
          if (ids[s] === null) continue;
          const w = weightAt(p, i, s);
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
      topK(candidates ?? touched, candidates ? candidates.length : touchedCount, scores, k, (s) => ids[s]!, accept).map((s) => ({ id: ids[s]!, score: scores[s]!, matched: matchedCount[s]! }));
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

  /**
   * Per slot and field, 1 / (1 − b + b·length/average): read by every posting a query walks, so kept in
   * one array and recomputed only when the averages or the slots changed since the last query.
   */
  private normalisers(avg: Float64Array): Float32Array {
    const F = this.fields.length;
    const n = this.ids.length;
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
  private termBound(p: Postings, avg: Float64Array, qw: number): number {
    const F = this.fields.length;
    if (p.maxW === undefined || p.maxAvg === undefined) {
      const { boost, lengths, b } = this;
      let max = 0;
      for (let i = 0; i < p.length; i++) {
        const s = p.slots[i]!;
        let w = 0;
        for (let f = 0; f < F; f++) {
          const t = p.tf[i * F + f]!;
          if (t) w += (boost[f]! * t) / (1 - b + (b * lengths[s * F + f]!) / avg[f]!);
        }
        if (w > max) max = w;
      }
      p.maxW = max;
      p.maxAvg = Float64Array.from(avg);
    }
    let grow = 1;
    for (let f = 0; f < F; f++) grow = Math.max(grow, avg[f]! / p.maxAvg[f]!);
    const w = p.maxW * grow;
    // A little over, so float32 rounding (normalisers, score sums) never lifts a real score past it.
    return ((qw * w) / (this.k1 + w)) * (1 + 1e-5);
  }

  toSnapshot(): Bm25Snapshot {
    this.compact();
    const F = this.fields.length;
    const terms = [...this.postings.keys()];
    const postingLengths = new Uint32Array(terms.length);
    let total = 0;
    terms.forEach((t, i) => (total += postingLengths[i] = this.postings.get(t)!.length));
    const slots = new Uint32Array(total);
    const tf = new Uint16Array(total * F);
    let at = 0;
    for (const t of terms) {
      const p = this.postings.get(t)!;
      slots.set(p.slots.subarray(0, p.length), at);
      tf.set(p.tf.subarray(0, p.length * F), at * F);
      at += p.length;
    }
    return { version: 1, fields: [...this.fields], ids: [...this.ids], lengths: this.lengths.slice(0, this.ids.length * F), terms, postingLengths, slots, tf };
  }

  /** Rebuilds an index from `toSnapshot()`; throws on a snapshot of other fields or a corrupt one. */
  static fromSnapshot(snapshot: Bm25Snapshot, options: Bm25Options): Bm25Index {
    const index = new Bm25Index(options);
    const F = index.fields.length;
    if (snapshot.version !== 1 || snapshot.fields.join('\u0000') !== index.fields.join('\u0000')) throw new Error('BM25 snapshot is for other fields');
    const n = snapshot.ids.length;
    if (snapshot.lengths.length !== n * F || snapshot.terms.length !== snapshot.postingLengths.length || snapshot.tf.length !== snapshot.slots.length * F) {
      throw new Error('BM25 snapshot is inconsistent');
    }
    index.ids = [...snapshot.ids];
    index.lengths = Uint32Array.from(snapshot.lengths);
    index.termsOf = snapshot.ids.map((id) => (id === null ? null : []));
    for (let s = 0; s < n; s++) {
      const id = snapshot.ids[s];
      if (id === null || id === undefined) {
        index.dead++;
        continue;
      }
      index.slotOf.set(id, s);
      for (let f = 0; f < F; f++) index.totalLength[f]! += snapshot.lengths[s * F + f]!;
    }
    let at = 0;
    snapshot.terms.forEach((term, i) => {
      const length = snapshot.postingLengths[i]!;
      const slots = snapshot.slots.slice(at, at + length);
      let df = 0;
      for (const s of slots) {
        if (s >= n) throw new Error('BM25 snapshot is inconsistent');
        if (index.ids[s] !== null) {
          df++;
          index.termsOf[s]!.push(term);
        }
      }
      if (df > 0) index.postings.set(term, { df, length, slots, tf: snapshot.tf.slice(at * F, (at + length) * F) });
      at += length;
    });
    return index;
  }
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

function grow<T extends Uint32Array | Uint16Array>(a: T, min: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(min, a.length * 2, 8));
  next.set(a);
  return next;
}

/**
 * The best `k` of the touched slots by score (ties: smaller id first), via a size-k min-heap: O(n log k)
 * instead of sorting every match.
 */
function topK(touched: Uint32Array, n: number, scores: Float32Array, k: number, idOf: (s: number) => string, accept?: (id: string) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  // "a ranks below b": lower score, or equal score and larger id.
  const below = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && idOf(a) > idOf(b));
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
 * a document must clear to enter the top k. */
function kthScore(touched: Uint32Array, n: number, scores: Float32Array, k: number, idOf: (s: number) => string, accept?: (id: string) => boolean): number {
  const best = topK(touched, n, scores, k, idOf, accept);
  return best.length < k ? -Infinity : scores[best[best.length - 1]!]!;
}

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

/** How many results the instant (typeahead) list holds: as many as anyone scrolls through, like the
 * hybrid list's keyword depth — a bounded heap instead of sorting every match of a common prefix. */
export const INSTANT_LIMIT = 500;
