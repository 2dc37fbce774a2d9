/**
 * The allocation probe (Node only: `--expose-gc`, `process.memoryUsage`, GC performance
 * entries). A browser run has no such probe, so its tables have no allocation columns.
 */

import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { consume, type Allocations, type Case } from "./measure";

/**
 * Heap bytes per operation of one iteration of `c`, measured in a window with no GC
 * (after a forced one): the median over several windows. `undefined` without `--expose-gc`
 * or when every window saw a GC. Off-heap `ArrayBuffer` bytes are reported apart: V8 keeps
 * typed arrays of up to 64 bytes on the heap and mallocs larger backing stores.
 */
export async function probeAllocations(c: Case, windows = 7): Promise<Allocations | undefined> {
  const collect = globalThis.gc;
  if (!collect || c.async) return undefined;
  const gcTimes: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceEntry[]) gcTimes.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const heap: number[] = [];
  const arrayBuffers: number[] = [];
  const retained: number[] = [];
  try {
    for (let attempt = 0; attempt < windows * 3 && heap.length < windows; attempt++) {
      c.before?.();
      collect();
      const start = performance.now();
      const m0 = process.memoryUsage();
      consume(c.run() as number);
      const m1 = process.memoryUsage();
      const end = performance.now();
      c.after?.();
      collect();
      const m2 = process.memoryUsage();
      await new Promise((resolve) => setImmediate(resolve)); // deliver GC entries
      if (gcTimes.some((t) => t >= start && t <= end)) continue;
      heap.push((m1.heapUsed - m0.heapUsed) / c.ops);
      arrayBuffers.push((m1.arrayBuffers - m0.arrayBuffers) / c.ops);
      retained.push((m2.heapUsed - m0.heapUsed) / c.ops);
    }
  } finally {
    observer.disconnect();
  }
  if (heap.length === 0) return undefined;
  return { heap: median(heap), arrayBuffers: median(arrayBuffers), retained: median(retained) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
