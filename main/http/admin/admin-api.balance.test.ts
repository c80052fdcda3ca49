import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelBalanceSchema } from '@shared/dto/balance'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { startFakeJsonServer, startFakeProxy, type FakeJsonServer, type FakeProxy } from '../../testing/fake-json-server'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const KEY = 'sk-or-v1-secret-0123456789'

describe('GET /api/v1/channels/:id/balance', () => {
  let db: TestDatabase
  let cuttle: TestCore
  let provider: FakeJsonServer
  let proxy: FakeProxy
  let credits = { total_credits: 50, total_usage: 12.5 }

  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
    cuttle = await startTestCore(db)
    provider = await startFakeJsonServer(req => (req.path === '/api/v1/credits' ? { body: { data: credits } } : { status: 404, body: {} }))
    // The channel names OpenRouter's real host; the proxy takes every tunnel to the fake instead.
    proxy = await startFakeProxy(provider.url)
  })
  afterAll(async () => {
    await cuttle?.stop()
    await proxy?.close()
    await provider?.close()
    await db?.destroy()
  })

  const create = async (body: Record<string, unknown>): Promise<number> => {
    const reply = await cuttle.admin('POST', '/channels', { name: `c-${provider.requests.length}-${Math.random()}`, type: 'openai-chat', keys: [KEY], ...body })
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    return ChannelDtoSchema.parse(reply.body).id
  }
  const balanceOf = async (id: number): Promise<unknown> => {
    const reply = await cuttle.admin('GET', `/channels/${id}/balance`)
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    return ChannelBalanceSchema.parse(reply.body)
  }

  it("reads OpenRouter's credits for a channel on openrouter.ai, then answers from memory until the channel changes", async () => {
    const id = await create({ baseUrls: ['http://openrouter.ai/api/v1'], proxy: proxy.url })
    const before = Date.now()
    const first = (await balanceOf(id)) as { balance: { fetchedAt: number } }
    expect(first).toEqual({ supported: true, provider: 'openrouter.ai', balance: { amount: 37.5, currency: 'USD', used: 12.5, fetchedAt: first.balance.fetchedAt } })
    expect(first.balance.fetchedAt).toBeGreaterThanOrEqual(before)
    expect(proxy.tunnels).toEqual(['openrouter.ai:80'])
    expect(provider.requests.map(r => [r.path, r.headers.authorization])).toEqual([['/api/v1/credits', `Bearer ${KEY}`]])

    credits = { total_credits: 50, total_usage: 20 }
    expect(await balanceOf(id)).toEqual(first)
    expect(provider.requests).toHaveLength(1)

    const patched = await cuttle.admin('PATCH', `/channels/${id}`, { keys: ['sk-or-v1-rotated-000000001'] })
    expect(patched.status).toBe(200)
    expect(await balanceOf(id)).toMatchObject({ balance: { amount: 30, currency: 'USD', used: 20 } })
    expect(provider.requests.at(-1)?.headers.authorization).toBe('Bearer sk-or-v1-rotated-000000001')
  })

  it('answers supported: false for other providers, and 404 for a missing channel', async () => {
    const id = await create({ baseUrls: ['https://api.openai.com/v1'] })
    expect(await balanceOf(id)).toEqual({ supported: false })
    const missing = await cuttle.admin('GET', '/channels/999999/balance')
    expect(missing).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Channel 999999 does not exist.' } } })
  })
})
