/**
 * The cosine a query with no meaning reaches against an index: the floor a result found only by
 * meaning must clear. Pure, so the extension (user memory) and the worker (a merchant's catalogue)
 * calibrate alike; each side only says how to find the best cosine of a probe in its own index.
 *
 * Why calibrated per index and not one constant: sentence encoders give every text a share of one
 * common direction, and how large that share is depends on the model and the text indexed. With the
 * bundled encoder, made-up words reach cosine ≈ 0.3 against short highlights but ≈ 0.55 against
 * medical abstracts, while real queries' best matches sit at ≈ 0.45 and ≈ 0.7 (bench/README.md,
 * "nonsense"). So the index is asked with a fixed set of made-up strings, and the best cosine any of
 * them reaches (plus a small margin) is the floor.
 */
export const NOISE_PROBES: readonly string[] = [
  'qwvbnt zorplex',
  'frimble gonkish wat',
  'zzkv mrrpt',
  'blorvish quantaplex snerd',
  'asdkj qpwoe',
  'vuxel trompity',
  'glimbo fnord wuzzle',
  'kkjhg yytre',
];

/**
 * Added to the probes' best cosine: other made-up queries land a little above the probes' best. With
 * 0.08, none of 12 other nonsense queries cleared the floor on any of six collections, while 10 of 421
 * real queries fell below it (those lose their vector-only results only when no word matched either).
 */
export const NOISE_MARGIN = 0.08;

/** The floor from each probe's best cosine in the index (null: the index was empty for it). */
export function floorFromProbeScores(bestScores: readonly (number | null | undefined)[], margin = NOISE_MARGIN): number {
  let best = -1;
  for (const score of bestScores) if (typeof score === 'number' && score > best) best = score;
  return best < 0 ? 0 : best + margin;
}
