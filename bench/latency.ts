import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { chatBody, type BenchMode } from './load'

/** Latency of one request at a time over one keep-alive connection (µs resolution, in ms). */
export interface LatencyResult {
  requests: number
  meanMs: number
  p50Ms: number
  p99Ms: number
}

/**
 * The worker sends `n` requests one after another (after a discarded warm-up) and measures each
 * from send to last byte with hrtime. A worker thread, so the load does not share the event
 * loop that serves the requests, and plain CommonJS so it needs no TypeScript loader.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { Client } = require(workerData.undici)
;(async () => {
  const { origin, key, body, n, warmUp } = workerData
  const client = new Client(origin)
  const times = new Float64Array(n)
  for (let i = -warmUp; i < n; i++) {
    const started = process.hrtime.bigint()
    const res = await client.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key }, body })
    await res.body.arrayBuffer()
    if (res.statusCode !== 200) throw new Error('status ' + res.statusCode)
    if (i >= 0) times[i] = Number(process.hrtime.bigint() - started) / 1e6
  }
  await client.close()
  parentPort.postMessage(times)
})().catch(err => { throw err })
`

const round3 = (n: number): number => Math.round(n * 1000) / 1000

/** Measures `n` sequential requests to `baseUrl` in `mode`. */
export async function sequentialLatency(baseUrl: string, mode: BenchMode, key: string, n: number): Promise<LatencyResult> {
  const undici = createRequire(import.meta.url).resolve('undici')
  const times = await new Promise<Float64Array>((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { origin: baseUrl, key, body: chatBody(mode), n, warmUp: Math.min(500, n), undici } })
    worker.once('message', (value: Float64Array) => resolve(value))
    worker.once('error', reject)
  })
  const sorted = Array.from(times).sort((a, b) => a - b)
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  return {
    requests: sorted.length,
    meanMs: round3(sorted.reduce((sum, t) => sum + t, 0) / Math.max(1, sorted.length)),
    p50Ms: round3(at(0.5)),
    p99Ms: round3(at(0.99))
  }
}
