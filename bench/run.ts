// `npm run bench`: a fake OpenAI upstream, a bare undici pass-through proxy and Cuttle's core,
// all in this process on 127.0.0.1, each loaded with autocannon (non-streaming and streaming).
// Prints a table and JSON, writes bench/results/latest.json, and exits 1 if any run had errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startBareProxy } from './bare-proxy'
import { sequentialLatency } from './latency'
import { chatBody, combine, load, loadAmount, warmUp, type BenchMode, type LoadResult } from './load'
import { openStreams } from './open-streams'
import { buildReport, formatTable, type BenchReport, type BenchRow, type BenchTarget } from './report'
import { createCore, type Core } from '../main/app/container'
import { loadConfig } from '../main/app/load-config'
import { createLogger } from '../main/app/logger'
import { startFakeOpenAi } from '../main/testing/fake-openai-upstream'

const ADMIN_PASSWORD = 'bench-admin-password'
/** The streamed answer: 20 content chunks (DESIGN §9, issue figures), plus role, finish and [DONE]. */
const ANSWER = Array.from({ length: 20 }, (_, i) => `word${i + 1}`).join(' ')
const MODES: BenchMode[] = ['json', 'stream']
/** Longest the teardown may take before the process is made to exit. */
const STOP_DEADLINE_MS = 15_000

/** A positive integer from the environment, or the default. */
function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`)
  return value
}

/** Cuttle's core on a free port with SQLite in `dataDir`, as `startTestCore` builds it. */
async function startCuttle(dataDir: string): Promise<{ core: Core; url: string }> {
  const loaded = loadConfig({
    argv: ['--server', '--port', '0', '--data-dir', dataDir],
    env: { CUTTLE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    cwd: dataDir
  })
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
  const core = await createCore(loaded.config, { logger: createLogger('silent'), uiRoot: '/nonexistent', version: 'bench' })
  return { core, url: `http://127.0.0.1:${core.port}` }
}

/** Calls Cuttle's admin API; throws unless the status is `expect`. */
async function admin(url: string, token: string | null, path: string, body: unknown, expect: number): Promise<unknown> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  })
  const text = await res.text()
  if (res.status !== expect) throw new Error(`POST ${path}: expected ${expect}, got ${res.status}: ${text}`)
  return JSON.parse(text) as unknown
}

/** A channel pointing at the fake with `bench-model`, and a client key; returns the key. */
async function provision(cuttleUrl: string, fakeUrl: string): Promise<string> {
  const { token } = (await admin(cuttleUrl, null, '/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, 200)) as { token: string }
  await admin(cuttleUrl, token, '/channels', { name: 'fake', type: 'openai-chat', baseUrls: [fakeUrl], keys: ['sk-bench-upstream-0001'], models: ['bench-model'] }, 201)
  const { key } = (await admin(cuttleUrl, token, '/api-keys', { name: 'bench' }, 201)) as { key: string }
  return key
}

/** One request per mode through `baseUrl`, so a broken target fails loudly before it is timed. */
async function checkAnswers(target: BenchTarget, baseUrl: string, key: string): Promise<void> {
  for (const mode of MODES) {
    const res = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: chatBody(mode)
    })
    const text = await res.text()
    const ok =
      res.status === 200 &&
      (mode === 'stream'
        ? text.includes(' word20') && text.includes('data: [DONE]')
        : (JSON.parse(text) as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content === ANSWER)
    if (!ok) throw new Error(`${target} (${mode}) answered ${res.status} with an unexpected body: ${text.slice(0, 300)}`)
  }
}

/** Runs `fn` but gives up after `ms`, so a stuck close cannot hang the run. */
async function bounded(label: string, ms: number, fn: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not stop within ${ms} ms`)), ms)
  })
  try {
    await Promise.race([fn(), deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** What Cuttle has counted in `usage_hourly`, after a flush. */
async function storedSums(core: Core): Promise<{ requests: number; input: number; output: number }> {
  await core.flusher.flush()
  const row = (await core.db('usage_hourly').sum({ requests: 'requests', input: 'input_tokens', output: 'output_tokens' }).first()) as
    | Record<'requests' | 'input' | 'output', unknown>
    | undefined
  return { requests: Number(row?.requests ?? 0), input: Number(row?.input ?? 0), output: Number(row?.output ?? 0) }
}

/**
 * Sends exactly `n` requests through Cuttle and compares what it stored with what was served:
 * every answer of the fake carries 10 input and 2 output tokens.
 */
async function exactStats(core: Core, url: string, key: string, settings: BenchReport['settings']): Promise<BenchReport['stats']> {
  const before = await storedSums(core)
  const served = await loadAmount(url, 'json', key, settings, settings.statsRequests)
  const after = await storedSums(core)
  return {
    served: served.requests,
    failed: served.errors + served.timeouts + served.non2xx,
    storedRequests: after.requests - before.requests,
    storedInputTokens: after.input - before.input,
    storedOutputTokens: after.output - before.output,
    expectedInputTokens: served.requests * 10,
    expectedOutputTokens: served.requests * 2
  }
}

async function main(): Promise<number> {
  let settings: BenchReport['settings']
  try {
    settings = {
      connections: envInt('BENCH_CONNECTIONS', 50, 1),
      durationSec: envInt('BENCH_DURATION', 5, 1),
      warmUpSec: envInt('BENCH_WARMUP', 3, 0),
      workers: envInt('BENCH_WORKERS', 1, 0),
      rounds: envInt('BENCH_ROUNDS', 3, 1),
      latencyRequests: envInt('BENCH_LATENCY_REQUESTS', 5000, 100),
      openStreams: envInt('BENCH_STREAMS', 1000, 1),
      statsRequests: envInt('BENCH_STATS_REQUESTS', 100_000, 1)
    }
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
    return 2
  }
  const stops: Array<{ label: string; stop: () => Promise<void> }> = []
  const dataDir = mkdtempSync(join(tmpdir(), 'cuttle-bench-'))
  stops.push({ label: 'data dir', stop: async () => rmSync(dataDir, { recursive: true, force: true }) })
  let failed = false
  try {
    const fake = await startFakeOpenAi()
    stops.unshift({ label: 'fake upstream', stop: () => fake.close() })
    // The fake keeps every request it saw; a benchmark would only grow the heap with them.
    fake.behave(() => {
      fake.requests.length = 0
      return { kind: 'reply', text: ANSWER }
    })
    const bare = await startBareProxy(fake.url)
    stops.unshift({ label: 'bare proxy', stop: () => bare.close() })
    const cuttle = await startCuttle(dataDir)
    stops.unshift({ label: 'cuttle', stop: () => cuttle.core.stop() })
    const key = await provision(cuttle.url, fake.url)

    const targets: Array<{ target: BenchTarget; url: string }> = [
      { target: 'fake-upstream', url: fake.url },
      { target: 'bare-proxy', url: bare.url },
      { target: 'cuttle', url: cuttle.url }
    ]
    for (const t of targets) await checkAnswers(t.target, t.url, key)

    const total = MODES.length * ((2 * settings.rounds + 1) * settings.durationSec + targets.length * settings.warmUpSec + 10)
    console.error(`bench: ${targets.length} targets × ${MODES.length} modes, ${settings.connections} connections, ~${total} s, then ${settings.openStreams} open streams`)
    const raw: Array<Omit<BenchRow, 'addedP50Ms'>> = []
    for (const mode of MODES) {
      // The fake alone, once, for reference; then bare proxy and Cuttle taking turns, so a
      // neighbour's load or a slow drift on a shared machine falls on both and not on one.
      const rounds = new Map<BenchTarget, LoadResult[]>()
      for (let round = 0; round < settings.rounds; round++) {
        for (const t of round === 0 ? targets : targets.filter(t => t.target !== 'fake-upstream')) {
          if (round === 0) await warmUp(t.url, mode, key, settings, settings.warmUpSec)
          const result = await load(t.url, mode, key, settings)
          console.error(`  ${t.target} ${mode} (round ${round + 1}): ${result.requestsPerSec.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`)
          rounds.set(t.target, [...(rounds.get(t.target) ?? []), result])
        }
      }
      for (const [target, results] of rounds) raw.push({ target, mode, ...combine(results) })
    }
    const latency: BenchReport['latency'] = []
    for (const mode of MODES) {
      const bareLatency = await sequentialLatency(bare.url, mode, key, settings.latencyRequests)
      const cuttleLatency = await sequentialLatency(cuttle.url, mode, key, settings.latencyRequests)
      console.error(`  c=1 ${mode}: bare p50 ${bareLatency.p50Ms} ms p99 ${bareLatency.p99Ms} ms, cuttle p50 ${cuttleLatency.p50Ms} ms p99 ${cuttleLatency.p99Ms} ms`)
      latency.push({ mode, bare: bareLatency, cuttle: cuttleLatency })
    }
    const stats = await exactStats(cuttle.core, cuttle.url, key, settings)
    console.error(`  stats: ${stats.served} requests served, ${stats.storedRequests} counted in usage_hourly`)
    const streams = await openStreams(fake, dataDir, settings.openStreams, 20, 250)
    console.error(`  ${streams.streams} open streams: ${streams.completed} completed, peak RSS ${streams.peakRssMb} MB`)

    const report = buildReport(raw, settings, { latency, stats, openStreams: streams })
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url))
    mkdirSync(resultsDir, { recursive: true })
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
    console.log(formatTable(report))
    console.log('')
    console.log(JSON.stringify(report, null, 2))
    if (report.failures > 0) {
      console.error(`bench: ${report.failures} requests failed (errors, timeouts or non-2xx)`)
      failed = true
    }
    const missed = report.figures.filter(f => !f.met)
    if (missed.length > 0) {
      console.error(`bench: ${missed.length} figure(s) missed: ${missed.map(f => f.name).join(', ')}`)
      failed = true
    }
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    failed = true
  } finally {
    for (const { label, stop } of stops) {
      try {
        await bounded(label, STOP_DEADLINE_MS, stop)
      } catch (err) {
        console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
        failed = true
      }
    }
  }
  return failed ? 1 : 0
}

const code = await main()
process.exitCode = code
// Everything is closed; if some handle still keeps the loop alive, do not hang the shell.
setTimeout(() => {
  console.error('bench: something kept the process alive after teardown; exiting')
  process.exit(code)
}, 2_000).unref()
