import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../app/logger'
import { NO_USAGE } from '../relay/canonical/usage'
import { createSecretBox } from '../security/secret-box'
import { migrate } from '../store/migrate'
import { createRepositories, type Repositories } from '../store/repositories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../testing/test-db'
import type { RequestOutcome } from './request-outcome'
import { StatsFlusher } from './stats-flusher'
import { StatsRecorder } from './stats-recorder'

const HOUR = 3_600_000
const T0 = 1_763_776_800_000

function outcome(i: number): RequestOutcome {
  return {
    time: T0 + (i % 3) * HOUR + i,
    requestId: `req-${i}`,
    apiKeyId: 1 + (i % 2),
    clientProtocol: 'openai-chat',
    requestedModel: i % 5 === 0 ? 'model-b' : 'model-a',
    groupName: 'g',
    channelId: 1 + (i % 4),
    upstreamModel: 'u',
    stream: i % 2 === 0,
    status: i % 10 === 0 ? 502 : 200,
    attempts: [],
    latencyMs: 100 + (i % 7),
    firstTokenMs: i % 2 === 0 ? 40 : null,
    usage: { ...NO_USAGE, inputTotal: 50 + (i % 9), cacheRead: i % 3, outputTotal: 7 + (i % 4) },
    cost: null,
    error: null,
    requestBody: null,
    responseBody: null
  }
}

describe.each(testDatabaseClients())('100 000 requests recorded exactly on %s', client => {
  let db: TestDatabase
  let repos: Repositories
  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, () => T0)
    repos = createRepositories(db.knex, createSecretBox(Buffer.from('stats-exact-secret-000')), () => T0)
  })
  afterAll(async () => {
    await db.destroy()
  })

  it('the sums in usage_hourly equal what was served, across many flushes', async () => {
    const N = 100_000
    const recorder = new StatsRecorder(N)
    const flusher = new StatsFlusher(db.knex, repos, recorder, 60_000, createLogger('silent'))
    const keys = new Set<string>()
    const expected = { requests: 0, failures: 0, input: 0, cacheRead: 0, output: 0, latency: 0, firstToken: 0, firstTokenCount: 0 }
    for (let i = 0; i < N; i++) {
      const o = outcome(i)
      recorder.record(o)
      keys.add(`${Math.floor(o.time / HOUR)}|${o.apiKeyId}|${o.channelId}|${o.requestedModel}`)
      expected.requests += 1
      expected.failures += o.status >= 400 ? 1 : 0
      expected.input += o.usage.inputTotal - o.usage.cacheRead
      expected.cacheRead += o.usage.cacheRead
      expected.output += o.usage.outputTotal
      expected.latency += o.latencyMs
      expected.firstToken += o.firstTokenMs ?? 0
      expected.firstTokenCount += o.firstTokenMs === null ? 0 : 1
      if (i % 25_000 === 24_999) await flusher.flush()
    }
    await flusher.stop()
    const rows = await repos.usage.since(0)
    const sum = (pick: (r: (typeof rows)[number]) => number): number => rows.reduce((n, r) => n + pick(r), 0)
    expect({
      requests: sum(r => r.requests),
      failures: sum(r => r.failures),
      input: sum(r => r.inputTokens),
      cacheRead: sum(r => r.cacheReadTokens),
      output: sum(r => r.outputTokens),
      latency: sum(r => r.latencyMsSum),
      firstToken: sum(r => r.firstTokenMsSum),
      firstTokenCount: sum(r => r.firstTokenCount)
    }).toEqual(expected)
    expect(rows).toHaveLength(keys.size)
    expect(await repos.requestLogs.count()).toBe(N)
  }, 120_000)
})
