import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let collect: (() => void) | null = null

/**
 * Runs a full garbage collection, so memory numbers compare what is kept rather than what is
 * not yet collected. Vitest workers do not start with --expose-gc: the flag is set at run time
 * and a fresh context hands out the `gc` function.
 */
export function fullGc(): void {
  if (collect === null) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
}

/** Heap and buffer memory after a full collection, in MB. */
export function memoryAfterGc(): { heapMb: number; buffersMb: number } {
  fullGc()
  const m = process.memoryUsage()
  return { heapMb: m.heapUsed / 1e6, buffersMb: m.arrayBuffers / 1e6 }
}
