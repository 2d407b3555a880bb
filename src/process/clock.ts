/**
 * Milliseconds on a monotonic clock, for durations. performance.now() would do, but its first use loads
 * Node's perf_hooks (ten internal modules, ~1 ms of every command's start-up; docs/benchmarks.md).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
