/**
 * The citation verifier's numbers, in one place: the lexical scorer's (support.ts) and the verdict's
 * (verify.ts). The thresholds were chosen on the grounding bench's dev part (`npm run bench -- grounding`,
 * docs/benchmarks.md "Grounding"); changing one is a bench run, not a guess.
 */

/** How a passage's words count towards a claim (support.ts). */
export const LEXICAL = {
  /** A word matching only by its first this-many letters… */
  prefixLength: 5,
  /** …counts this much ("neurons" ~ "neuronal"). */
  prefixCredit: 0.6,
  /** Sentences in the longest window of consecutive sentences a claim is matched against. */
  window: 3,
  /** Multiplier per number in the claim the passage lacks, and per name. */
  numberPenalty: 0.5,
  namePenalty: 0.6,
  /** The whole passage as one window, discounted: claims that summarise across it still get credit. */
  wholePassageCredit: 0.85,
} as const;

/** When a claim counts as supported (verify.ts). */
export const VERDICT = {
  /** Support at or above this counts (lexical, or lexical and meaning combined). */
  threshold: 0.5,
  /** With several citations on one sentence, each must carry at least this much of the claim alone, and
   * the cited passages together must reach the threshold. */
  sharedFloor: 0.25,
  /** Between these, the helper model (when allowed) decides. */
  doubtLow: 0.3,
  doubtHigh: 0.7,
  /** Cosines of sentence embeddings mapped to 0..1 support: below low nothing, above high full. */
  cosineLow: 0.6,
  cosineHigh: 0.9,
  /** Cited sentences checked per answer, and sent to the helper model at most. */
  maxClaims: 200,
  maxModelClaims: 12,
} as const;
