// Property-test settings: short by default; EXHUNT_FUZZ_RUNS=<n> runs every property n times for a longer pass.

import type fc from 'fast-check';

/** Runs per property: `short` unless EXHUNT_FUZZ_RUNS says more. */
export function runs(short: number): number {
  const n = Number(process.env.EXHUNT_FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : short;
}

/** fast-check parameters: the run count, and a seed from EXHUNT_FUZZ_SEED to replay a failure. */
export function params(short: number): fc.Parameters<unknown> {
  const seed = Number(process.env.EXHUNT_FUZZ_SEED);
  return { numRuns: runs(short), ...(Number.isFinite(seed) && process.env.EXHUNT_FUZZ_SEED ? { seed } : {}) };
}
