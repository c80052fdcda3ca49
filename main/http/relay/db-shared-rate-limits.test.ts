import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { postChat } from '../../testing/chat-traffic'
import { movableClock } from '../../testing/factories'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'

const KeyCreated = z.object({ id: z.number(), key: z.string() })
const OpenAiError = z.object({ error: z.object({ message: z.string(), code: z.string() }) })
const MODEL = 'shared-model'

const pgUp = testDatabaseClients().includes('postgres')

describe.runIf(!pgUp)('client key rpm shared by two instances through PostgreSQL', () => {
  it.skip('needs CUTTLE_TEST_PG_URL', () => {})
})

/**
 * Two cores on one PostgreSQL database and no Redis, as two instances behind a load balancer:
 * the key's rpm holds for both together through the database's rate_counts.
 */
describe.skipIf(!pgUp)('client key rpm shared by two instances through PostgreSQL', () => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  let first: TestCore
  let second: TestCore
  // Standing still, so every request falls in one second of the minute.
  const clock = movableClock(Date.now())

  async function chat(on: TestCore, key: string): Promise<{ status: number; body: unknown }> {
    const res = await postChat(on.url, key, MODEL)
    return { status: res.status, body: (await res.json()) as unknown }
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    upstream = await startFakeOpenAi()
    first = await startTestCore(db, {}, { now: clock })
  })

  afterAll(async () => {
    await second?.stop()
    await first?.stop()
    await upstream?.close()
    await db?.destroy()
  })

  it('an rpm of 20 admits 20 of 15 + 15 requests sent to one instance and then the other', async () => {
    expect((await first.admin('POST', '/channels', { name: 'shared', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-shared-0000000000001'], models: [MODEL] })).status).toBe(201)
    const created = await first.admin('POST', '/api-keys', { name: 'fleet', limits: { rpm: 20 } })
    const { id, key } = KeyCreated.parse(created.body)
    // Started after the key exists, so its route table holds it from the start.
    second = await startTestCore(db, {}, { now: clock })

    for (let i = 0; i < 15; i++) expect((await chat(first, key)).status).toBe(200)
    // The first instance pushes its counts within a sync interval (500 ms).
    await vi.waitFor(async () => {
      const rows = (await db.knex('rate_counts').where({ api_key_id: id, kind: 'r' }).sum({ n: 'count' })) as Array<{ n: unknown }>
      expect(Number(rows[0]?.n)).toBe(15)
    })

    const answers = []
    for (let i = 0; i < 15; i++) answers.push(await chat(second, key))
    const ok = answers.filter(answer => answer.status === 200).length
    // 5 are left; the second instance's first request of the key may go on its own count before
    // its out-of-turn sync has read the first's 15 (one round trip to the database), so one over at most.
    expect(ok).toBeGreaterThanOrEqual(5)
    expect(ok).toBeLessThanOrEqual(6)
    const refused = answers.find(answer => answer.status === 429)
    expect(OpenAiError.parse(refused?.body).error.message).toContain("API key 'fleet' is over its limit of 20 requests per minute")
  })
})
