/**
 * The fuzz tests' settings: a fixed seed and a few runs in CI (`npm test`); more with `npm run fuzz`
 * (FUZZ_RUNS, FUZZ_SEED). A failure prints its seed and path: run it again with FUZZ_SEED to replay it.
 */
import type { Parameters } from 'fast-check';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 14);
/** Runs per property (parsers) and per route (HTTP). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 40);

export function fuzzParameters<T>(runs = FUZZ_RUNS): Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true };
}
