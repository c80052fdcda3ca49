import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKnex, dbTargetFor } from './store/knex'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './testing/fake-openai-upstream'
import { load, prepareRelay, type Load } from './testing/load-traffic'
import { freePort, spawnCuttle, waitHealthy, type SpawnedCuttle } from './testing/spawn-cuttle'

const PASSWORD = 'durability-test-pass'
const FLUSH_MS = 500

async function stored(dataDir: string): Promise<{ logs: number; requests: number }> {
  const knex = createKnex(dbTargetFor(null, dataDir))
  try {
    const logs = Number(((await knex('request_logs').count({ n: '*' }).first()) as { n: unknown }).n)
    const requests = Number(((await knex('usage_hourly').sum({ n: 'requests' }).first()) as { n: unknown }).n ?? 0)
    return { logs, requests }
  } finally {
    await knex.destroy()
  }
}

describe('stats survive the end of the process', () => {
  let upstream: FakeOpenAiUpstream
  const dirs: string[] = []
  beforeAll(async () => {
    upstream = await startFakeOpenAi()
  })
  afterAll(async () => {
    await upstream.close()
    dirs.forEach(d => rmSync(d, { recursive: true, force: true }))
  })

  async function startLoaded(): Promise<{ run: SpawnedCuttle; traffic: Load; dataDir: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'cuttle-durable-'))
    dirs.push(dataDir)
    const port = await freePort()
    const run = spawnCuttle(['--port', String(port), '--data-dir', dataDir], { CUTTLE_ADMIN_PASSWORD: PASSWORD, CUTTLE_STATS_FLUSH_MS: String(FLUSH_MS) }, port)
    await waitHealthy(port)
    const traffic = load(port, await prepareRelay(port, PASSWORD, upstream.url), 16)
    await new Promise(resolve => setTimeout(resolve, 1500))
    return { run, traffic, dataDir }
  }

  it('SIGTERM under load: every answered request is in the database after the exit', async () => {
    const { run, traffic, dataDir } = await startLoaded()
    run.child.kill('SIGTERM')
    expect(await run.exited()).toBe(0)
    await traffic.stop()
    expect(traffic.answeredAt.length).toBeGreaterThan(100)
    expect(await stored(dataDir)).toEqual({ logs: traffic.answeredAt.length, requests: traffic.answeredAt.length })
  })

  it('kill -9 under load loses at most what was answered in the last flush interval', async () => {
    const { run, traffic, dataDir } = await startLoaded()
    const killedAt = Date.now()
    run.child.kill('SIGKILL')
    await run.exited()
    await traffic.stop()
    const { logs, requests } = await stored(dataDir)
    const answered = traffic.answeredAt.length
    // Loss bound: one flush interval, plus the flush that may have been running at the kill.
    const recent = traffic.answeredAt.filter(t => t > killedAt - 2 * FLUSH_MS - 100).length
    expect(logs).toBe(requests)
    expect(requests).toBeLessThanOrEqual(answered)
    expect(answered - requests).toBeLessThanOrEqual(recent)
    expect(requests).toBeGreaterThan(0)
  })
})
