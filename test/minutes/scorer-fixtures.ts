/** Hand-made minutes scorers for tests: fixed probabilities, so a test can put a sentence on either side of a threshold. */
import { BUNDLED_SCORER_HASH_BITS, fnv1a, type SentenceScorer } from '../../engine/src/minutes/outcome-scorer.ts';

/**
 * A scorer that gives every sentence probability `p`: one weight, on the bucket of the `bias` feature every sentence
 * has. At 2^18 buckets no other feature of the short test sentences lands in it (the tests that use it would show it).
 */
export function biasOnlyScorer(p: number): SentenceScorer {
  const weights = new Float32Array(2 ** BUNDLED_SCORER_HASH_BITS);
  weights[fnv1a('bias') & (weights.length - 1)] = Math.log(p / (1 - p));
  return { hashBits: BUNDLED_SCORER_HASH_BITS, weights };
}
