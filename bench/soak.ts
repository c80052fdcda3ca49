import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import type { FakeOpenAiUpstream } from '../main/testing/fake-openai-upstream'
import { freePort, spawnCuttle, waitHealthy } from '../main/testing/spawn-cuttle'

/** What a soak measured. */
export interface SoakResult {
  streams: number
  durationSec: number
  completed: number
  errors: number
  /** The first few failures, for the report. */
  errorSamples: string[]
  /** Mean RSS over the first and the last fifth of the run (after a warm-up), MB. */
  earlyRssMb: number
  lateRssMb: number
  peakRssMb: number
}

const CLIENT_KEY = 'ck-bench-soak-000000001'
/** Growth from the early to the late part of the run still counted as flat. */
export const FLAT_TOLERANCE = { ratio: 1.15, mb: 25 }

/** Resident memory of a process (Linux `/proc`), MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
const round1 = (n: number): number => Math.round(n * 10) / 10

/** Whether the late memory is within the tolerance of the early one. */
export function memoryFlat(result: SoakResult): boolean {
  return result.lateRssMb <= Math.max(result.earlyRssMb * FLAT_TOLERANCE.ratio, result.earlyRssMb + FLAT_TOLERANCE.mb)
}

/**
 * Starts the built Cuttle (`node out/main/index.js --server`, SQLite, stats and logs on) as its
 * own process and keeps `streams` Anthropic Messages streams open through it for `durationSec`,
 * each converted to an OpenAI Chat channel (the fake sends `chunks` chunks `intervalMs` apart);
 * every client starts its next stream as soon as one ends. A stream counts as completed when it
 * carries every chunk and ends with `message_stop`.
 */
export async function soak(fake: FakeOpenAiUpstream, dataDir: string, options: { streams: number; durationSec: number; chunks: number; intervalMs: number }): Promise<SoakResult> {
  const { streams, durationSec, chunks, intervalMs } = options
  const provision = join(dataDir, 'soak.yaml')
  writeFileSync(
    provision,
    [
      'channels:',
      `  - { name: fake-openai, type: openai-chat, baseUrls: ["${fake.url}"], keys: [sk-bench-soak-upstream-1], models: [soak-model] }`,
      'apiKeys:',
      `  - { name: soak, key: ${CLIENT_KEY} }`,
      ''
    ].join('\n')
  )
  fake.behave(() => {
    // The fake keeps every request otherwise; a soak would grow it without end.
    fake.requests.length = 0
    return { kind: 'slow-stream', count: chunks, intervalMs }
  })
  const port = await freePort()
  const cuttle = spawnCuttle(['--port', String(port), '--data-dir', join(dataDir, 'soak'), '--provision', provision], { CUTTLE_ADMIN_PASSWORD: 'bench-soak-password' }, port)
  const pid = cuttle.child.pid ?? 0
  const agent = new Agent({ connections: streams, pipelining: 1, bodyTimeout: 60_000, headersTimeout: 60_000 })
  const samples: Array<{ at: number; mb: number }> = []
  let completed = 0
  const errorSamples: string[] = []
  let errors = 0
  const fail = (why: string): void => {
    errors++
    if (errorSamples.length < 5) errorSamples.push(why)
  }
  try {
    await waitHealthy(port)
    const started = Date.now()
    const endAt = started + durationSec * 1000
    const sampler = setInterval(() => samples.push({ at: Date.now() - started, mb: rssMb(pid) }), 1000)
    const client = async (): Promise<void> => {
      while (Date.now() < endAt) {
        try {
          const res = await request(`http://127.0.0.1:${port}/v1/messages`, {
            method: 'POST',
            dispatcher: agent,
            headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
            body: JSON.stringify({ model: 'soak-model', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], stream: true })
          })
          const text = await res.body.text()
          if (res.statusCode === 200 && text.includes(`tick${chunks} `) && text.includes('event: message_stop')) completed++
          else fail(`status ${res.statusCode}: ${text.slice(-200)}`)
        } catch (err) {
          fail(err instanceof Error ? err.message : String(err))
        }
      }
    }
    await Promise.all(Array.from({ length: streams }, client))
    clearInterval(sampler)
    // The first fifth is the warm-up; compare the second fifth with the last.
    const fifth = (durationSec * 1000) / 5
    const early = samples.filter(s => s.at >= fifth && s.at < 2 * fifth).map(s => s.mb)
    const late = samples.filter(s => s.at >= 4 * fifth).map(s => s.mb)
    return {
      streams,
      durationSec: round1((Date.now() - started) / 1000),
      completed,
      errors,
      errorSamples,
      earlyRssMb: round1(mean(early)),
      lateRssMb: round1(mean(late)),
      peakRssMb: round1(Math.max(...samples.map(s => s.mb)))
    }
  } finally {
    await agent.close()
    cuttle.child.kill('SIGTERM')
    await cuttle.exited(30_000)
  }
}
