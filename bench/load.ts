import autocannon from 'autocannon'

/** Non-streaming JSON completion or an SSE stream. */
export type BenchMode = 'json' | 'stream'

/** One autocannon run against one target, reduced to what the report needs. */
export interface LoadResult {
  requestsPerSec: number
  /** Requests that finished with any status. */
  requests: number
  p50Ms: number
  p99Ms: number
  /** Connection errors and timeouts. */
  errors: number
  timeouts: number
  non2xx: number
  /** RSS of this process right after the run, MB. */
  rssMb: number
  /** Highest RSS of this process sampled during the run, MB. */
  peakRssMb: number
  durationSec: number
}

/** What to send: the same chat request every time, only `stream` differs by mode. */
export function chatBody(mode: BenchMode): string {
  return JSON.stringify({
    model: 'bench-model',
    messages: [{ role: 'user', content: 'Say hello.' }],
    ...(mode === 'stream' ? { stream: true } : {})
  })
}

/** How hard and how long to load one target. */
export interface LoadSettings {
  connections: number
  durationSec: number
  /** autocannon worker threads generating the load; 0 = on this event loop. */
  workers: number
}

/** autocannon options for one run. */
function cannonOptions(baseUrl: string, mode: BenchMode, key: string, settings: LoadSettings, durationSec: number): autocannon.Options {
  return {
    url: `${baseUrl}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: chatBody(mode),
    connections: settings.connections,
    duration: durationSec,
    ...(settings.workers > 0 ? { workers: settings.workers } : {}),
    // A request that takes longer than this is a failure worth seeing, not a data point.
    timeout: 10
  }
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10

/** Runs autocannon with `options`, sampling this process's memory meanwhile. */
async function measured(options: autocannon.Options): Promise<LoadResult> {
  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 250)
  try {
    const result = await autocannon(options)
    const rss = process.memoryUsage.rss()
    return {
      requestsPerSec: result.requests.average,
      requests: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      rssMb: mb(rss),
      peakRssMb: mb(Math.max(peak, rss)),
      durationSec: result.duration
    }
  } finally {
    clearInterval(sampler)
  }
}

/** Loads `POST {baseUrl}/v1/chat/completions` for `durationSec` with `connections` connections. */
export function load(baseUrl: string, mode: BenchMode, key: string, settings: LoadSettings): Promise<LoadResult> {
  return measured(cannonOptions(baseUrl, mode, key, settings, settings.durationSec))
}

/** Several runs of one target as one: mean throughput and p50, worst p99, errors summed. */
export function combine(results: readonly LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number): number => results.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, results.length)
  const sum = (pick: (r: LoadResult) => number): number => results.reduce((total, r) => total + pick(r), 0)
  return {
    requestsPerSec: mean(r => r.requestsPerSec),
    requests: sum(r => r.requests),
    p50Ms: Math.round(mean(r => r.p50Ms) * 10) / 10,
    p99Ms: Math.max(...results.map(r => r.p99Ms)),
    errors: sum(r => r.errors),
    timeouts: sum(r => r.timeouts),
    non2xx: sum(r => r.non2xx),
    rssMb: results.at(-1)?.rssMb ?? 0,
    peakRssMb: Math.max(...results.map(r => r.peakRssMb)),
    durationSec: sum(r => r.durationSec)
  }
}

/** Sends exactly `amount` requests with `settings.connections` connections. */
export function loadAmount(baseUrl: string, mode: BenchMode, key: string, settings: LoadSettings, amount: number): Promise<LoadResult> {
  // `amount` overrides the duration.
  return measured({ ...cannonOptions(baseUrl, mode, key, settings, 1), amount })
}

/** A short, discarded run so JIT and connection pools are warm before measuring. */
export async function warmUp(baseUrl: string, mode: BenchMode, key: string, settings: LoadSettings, durationSec: number): Promise<void> {
  if (durationSec <= 0) return
  await autocannon(cannonOptions(baseUrl, mode, key, settings, durationSec))
}
