import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import type { FakeOpenAiUpstream } from '../main/testing/fake-openai-upstream'
import { freePort, spawnCuttle, waitHealthy } from '../main/testing/spawn-cuttle'

/** What holding many streams open at once cost the Cuttle process. */
export interface OpenStreamsResult {
  streams: number
  /** Streams that ended with every chunk and `[DONE]`. */
  completed: number
  errors: number
  baselineRssMb: number
  peakRssMb: number
  durationSec: number
}

const CLIENT_KEY = 'ck-bench-open-streams-0001'

/** Resident memory of a process (Linux `/proc`), MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round((kb / 1024) * 10) / 10
}

/**
 * Starts the built Cuttle (`node out/main/index.js --server`, SQLite, stats on) as its own
 * process, so its memory is measured alone, and holds `streams` streaming requests open through
 * it at once against a fake that sends `chunks` chunks `intervalMs` apart.
 */
export async function openStreams(fake: FakeOpenAiUpstream, dataDir: string, streams: number, chunks: number, intervalMs: number): Promise<OpenStreamsResult> {
  const provision = join(dataDir, 'open-streams.yaml')
  writeFileSync(
    provision,
    [
      'channels:',
      `  - { name: fake, type: openai-chat, baseUrls: ["${fake.url}"], keys: [sk-bench-upstream-0001], models: [bench-model] }`,
      'apiKeys:',
      `  - { name: bench, key: ${CLIENT_KEY} }`,
      ''
    ].join('\n')
  )
  fake.behave(() => {
    fake.requests.length = 0
    return { kind: 'slow-stream', count: chunks, intervalMs }
  })
  const port = await freePort()
  const cuttle = spawnCuttle(['--port', String(port), '--data-dir', join(dataDir, 'open-streams'), '--provision', provision], { CUTTLE_ADMIN_PASSWORD: 'bench-admin-password' }, port)
  const pid = cuttle.child.pid ?? 0
  const agent = new Agent({ connections: streams, pipelining: 1 })
  try {
    await waitHealthy(port)
    const baselineRssMb = rssMb(pid)
    let peakRssMb = baselineRssMb
    const sampler = setInterval(() => {
      peakRssMb = Math.max(peakRssMb, rssMb(pid))
    }, 100)
    const started = Date.now()
    const one = async (): Promise<boolean> => {
      const res = await request(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
        body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'hi' }], stream: true })
      })
      const text = await res.body.text()
      return res.statusCode === 200 && text.includes(`tick${chunks} `) && text.trimEnd().endsWith('data: [DONE]')
    }
    const outcomes = await Promise.allSettled(Array.from({ length: streams }, one))
    clearInterval(sampler)
    const completed = outcomes.filter(o => o.status === 'fulfilled' && o.value).length
    return { streams, completed, errors: streams - completed, baselineRssMb, peakRssMb, durationSec: Math.round((Date.now() - started) / 100) / 10 }
  } finally {
    await agent.close()
    cuttle.child.kill('SIGTERM')
    await cuttle.exited()
  }
}
