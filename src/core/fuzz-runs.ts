// Test-only: how many cases each property test runs; short in CI, as long as asked with EXHUNT_FUZZ_RUNS.

/** `EXHUNT_FUZZ_RUNS` when set (a longer pass: `EXHUNT_FUZZ_RUNS=20000 npm run fuzz`), else `short`. */
export function fuzzRuns(short: number): number {
  const env = Number(globalThis.process?.env?.EXHUNT_FUZZ_RUNS);
  return Number.isSafeInteger(env) && env > 0 ? env : short;
}
