import v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects again, in percent.
 * V8's default grows it up to four times: a server on PostgreSQL, whose requests wait on the pool while their rows
 * and response bodies survive young-generation collections, then holds 150 MB of garbage between full collections
 * (measured at 50 connections listing 100 persons: 44 MB live, the heap grew to 190 MB, peak RSS 334 MB). At 50% it
 * peaks at 215 MB with the same throughput and CPU per request: a full collection of a 44 MB live heap takes 5-10 ms
 * of incremental marking (docs/benchmarks.md).
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the serving processes' heap growth, unless the process was started with its own (node
 * --heap-growing-percent=N). V8 reads the flag whenever it sets the next collection's limit, so setting it at start
 * takes effect.
 */
export function keepHeapCompact(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
