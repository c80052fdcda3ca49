import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { rateKeyPrefix } from '../../relay/limits/redis-rate-sync'
import { loadMasterSecret } from '../../security/master-secret'
import { postChat } from '../../testing/chat-traffic'
import { movableClock } from '../../testing/factories'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'
import { TEST_REDIS, TEST_REDIS_URL, deleteRedisKeys, redisAnswers, redisValues } from '../../testing/test-redis'

const KeyCreated = z.object({ id: z.number(), key: z.string() })
const OpenAiError = z.object({ error: z.object({ message: z.string(), code: z.string() }) })
const MODEL = 'shared-model'

const redisUp = await redisAnswers()

describe.runIf(!redisUp)('client key rpm shared by two instances through Redis', () => {
  it.skip(`needs a Redis answering PING at ${TEST_REDIS.host}:${TEST_REDIS.port}`, () => {})
})

/**
 * Two cores on one database with CUTTLE_REDIS_URL set, as two instances behind a load balancer:
 * the key's rpm holds for both together. Their Redis keys start with the prefix derived from the
 * shared secret (new for every test database), deleted after.
 */
describe.skipIf(!redisUp)('client key rpm shared by two instances through Redis', () => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  let first: TestCore
  let second: TestCore
  let prefix: string
  // Standing still, so every request falls in one second of the minute.
  const clock = movableClock(Date.now())

  async function chat(on: TestCore, key: string): Promise<{ status: number; body: unknown }> {
    const res = await postChat(on.url, key, MODEL)
    return { status: res.status, body: (await res.json()) as unknown }
  }

  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
    upstream = await startFakeOpenAi()
    first = await startTestCore(db, { CUTTLE_REDIS_URL: TEST_REDIS_URL }, { now: clock })
    prefix = rateKeyPrefix(loadMasterSecret(null, db.dataDir))
  })

  afterAll(async () => {
    await second?.stop()
    await first?.stop()
    await upstream?.close()
    await db?.destroy()
    if (prefix) await deleteRedisKeys(prefix)
  })

  it('an rpm of 20 admits 20 of 15 + 15 requests sent to one instance and then the other', async () => {
    expect((await first.admin('POST', '/channels', { name: 'shared', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-shared-0000000000001'], models: [MODEL] })).status).toBe(201)
    const created = await first.admin('POST', '/api-keys', { name: 'fleet', limits: { rpm: 20 } })
    const { key } = KeyCreated.parse(created.body)
    // Started after the key exists, so its route table holds it from the start.
    second = await startTestCore(db, { CUTTLE_REDIS_URL: TEST_REDIS_URL }, { now: clock })

    for (let i = 0; i < 15; i++) expect((await chat(first, key)).status).toBe(200)
    // The first instance pushes its counts within a sync interval (250 ms).
    await vi.waitFor(async () => expect([...(await redisValues(prefix)).values()].reduce((sum, n) => sum + n, 0)).toBe(15))

    const answers = []
    for (let i = 0; i < 15; i++) answers.push(await chat(second, key))
    const ok = answers.filter(answer => answer.status === 200).length
    // 5 are left; the second instance's first request of the key may go on its own count before
    // its out-of-turn sync has read the first's 15 (one round trip to Redis), so one over at most.
    expect(ok).toBeGreaterThanOrEqual(5)
    expect(ok).toBeLessThanOrEqual(6)
    const refused = answers.find(answer => answer.status === 429)
    expect(OpenAiError.parse(refused?.body).error.message).toContain("API key 'fleet' is over its limit of 20 requests per minute")
  })
})
