import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { PriceDtoSchema, PricePageSchema, PriceResolutionSchema, PriceSyncResultSchema, type PriceDto } from '@shared/dto/price'
import { SettingsSchema } from '@shared/dto/settings'
import { bundledSnapshot } from '../../pricing/bundled-snapshot'
import { snapshotPrices } from '../../pricing/models-dev'
import { adminCall, adminErrorOf, type AdminReply } from '../../testing/admin-client'
import { startFakeModelsDev, type FakeModelsDev } from '../../testing/fake-models-dev'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'

const SEEDED = snapshotPrices(bundledSnapshot()).length

/** What the fake models.dev lists: gpt-4o at a new price, a new model, Claude Sonnet 4 with a long-context tier. */
const CATALOGUE = {
  openai: {
    id: 'openai',
    name: 'OpenAI',
    npm: '@ai-sdk/openai',
    models: {
      'gpt-4o': { id: 'gpt-4o', name: 'GPT-4o', tool_call: true, cost: { input: 2, output: 8, cache_read: 1 }, limit: { context: 128_000, output: 16_384 } },
      'gpt-9': { id: 'gpt-9', name: 'GPT-9', cost: { input: 5, output: 20 }, limit: { context: 1_000_000, output: 100_000 } }
    }
  },
  anthropic: {
    id: 'anthropic',
    name: 'Anthropic',
    models: {
      'claude-sonnet-4-20250514': {
        id: 'claude-sonnet-4-20250514',
        name: 'Claude Sonnet 4',
        cost: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75, context_over_200k: { input: 6, output: 22.5, cache_read: 0.6, cache_write: 7.5 } },
        limit: { context: 1_000_000, output: 64_000 }
      }
    }
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

describe.each(testDatabaseClients())('POST /api/v1/prices/sync on %s', client => {
  let db: TestDatabase
  let cuttle: TestCore
  let modelsDev: FakeModelsDev
  let token: string

  const call = (method: string, path: string, body?: unknown): Promise<AdminReply> => adminCall(cuttle.url, method, path, { token, body })
  function ok<T>(reply: AdminReply, schema: z.ZodType<T>, status = 200): T {
    expect(reply.status, reply.text).toBe(status)
    return schema.parse(reply.json)
  }
  const listed = async (source: string): Promise<PriceDto[]> => ok(await call('GET', `/prices?source=${source}&pageSize=500`), PricePageSchema).items
  const useUrl = async (url: string): Promise<void> => {
    ok(await call('PATCH', '/settings', { pricesSyncUrl: url }), SettingsSchema)
  }

  beforeAll(async () => {
    db = await createTestDatabase(client)
    modelsDev = await startFakeModelsDev()
    cuttle = await startTestCore(db)
    token = await cuttle.login()
  })

  afterAll(async () => {
    await cuttle?.stop()
    await modelsDev?.close()
    await db?.destroy()
  })

  it('has the sync settings with their defaults, and refuses a URL that is not http(s)', async () => {
    expect(ok(await call('GET', '/settings'), SettingsSchema)).toMatchObject({ pricesSyncUrl: 'https://models.dev/api.json', priceSyncIntervalHours: 24 })
    const error = adminErrorOf(await call('PATCH', '/settings', { pricesSyncUrl: 'ftp://models.dev/api.json' }), 400)
    expect(error.fields).toEqual([{ path: 'pricesSyncUrl', message: 'must be an http(s) URL' }])
    expect(adminErrorOf(await call('PATCH', '/settings', { priceSyncIntervalHours: -1 }), 400).code).toBe('validation_failed')
  })

  it('replaces the models.dev prices with the catalogue and keeps user and channel prices', async () => {
    const channel = ok(
      await call('POST', '/channels', { name: 'sync-ch', type: 'openai-chat', baseUrls: ['https://api.example.com'], keys: ['sk-test-key-000000000002'], models: ['m'] }),
      ChannelDtoSchema,
      201
    )
    ok(await call('POST', '/prices', { model: 'gpt-4o', input: 9, output: 9 }), PriceDtoSchema, 201)
    ok(await call('POST', '/prices', { model: 'gpt-9', channelId: channel.id, input: 4, output: 16 }), PriceDtoSchema, 201)
    const kept = [...(await listed('user')), ...(await listed('channel'))]
    expect(kept).toHaveLength(2)

    modelsDev.answer(CATALOGUE)
    await useUrl(modelsDev.url)
    // Two syncs at once share one request to models.dev.
    const [first, second] = await Promise.all([call('POST', '/prices/sync'), call('POST', '/prices/sync')])
    const result = ok(first, PriceSyncResultSchema)
    expect(ok(second, PriceSyncResultSchema)).toEqual(result)
    expect(modelsDev.hits).toBe(1)
    // gpt-4o (openai) and Claude Sonnet 4 (anthropic) changed, gpt-9 is new, every other seeded price is gone.
    expect(result).toEqual({ prices: 3, added: 1, removed: SEEDED - 2, changed: 2, url: modelsDev.url, syncedAt: expect.any(Number) })

    const dev = await listed('models.dev')
    expect(dev.map(p => [p.provider, p.model, p.input, p.output, p.cacheRead, p.cacheWrite, p.tiers])).toEqual([
      ['anthropic', 'claude-sonnet-4-20250514', 3, 15, 0.3, 3.75, [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }]],
      ['openai', 'gpt-4o', 2, 8, 1, null, []],
      ['openai', 'gpt-9', 5, 20, null, null, []]
    ])
    expect([...(await listed('user')), ...(await listed('channel'))]).toEqual(kept)
    // The relay's price book has the new prices: the user price still wins for gpt-4o.
    const sonnet = ok(await call('GET', '/prices/resolve?model=claude-sonnet-4-20250514'), PriceResolutionSchema)
    expect(sonnet.price?.tiers).toHaveLength(1)
    expect(ok(await call('GET', '/prices/resolve?model=gpt-4o'), PriceResolutionSchema).price?.source).toBe('user')
    expect(ok(await call('GET', '/prices/resolve?model=gpt-9'), PriceResolutionSchema).price).toMatchObject({ source: 'models.dev', input: 5 })
  })

  it('answers a clear 502 and keeps every price when models.dev cannot be read', async () => {
    const before = await listed('models.dev')
    expect(before).toHaveLength(3)
    const port = await closedPort()
    const offline = `http://127.0.0.1:${port}/api.json`
    const failures: Array<[() => Promise<void>, string]> = [
      [() => useUrl(offline), `Could not reach models.dev at ${offline}: connect ECONNREFUSED 127.0.0.1:${port}; the existing 3 prices are kept.`],
      [
        async () => {
          await useUrl(modelsDev.url)
          modelsDev.answer('maintenance', 503)
        },
        `models.dev at ${modelsDev.url} gave no usable answer: it answered HTTP 503; the existing 3 prices are kept.`
      ],
      [async () => modelsDev.answer('{"openai": '), `models.dev at ${modelsDev.url} gave no usable answer: its answer is not JSON (`],
      [async () => modelsDev.answer({ openai: { models: { 'gpt-4o': { name: 'no cost' } } } }), `models.dev at ${modelsDev.url} gave no usable answer: it lists no model with a price; the existing 3 prices are kept.`]
    ]
    for (const [arrange, message] of failures) {
      await arrange()
      const error = adminErrorOf(await call('POST', '/prices/sync'), 502)
      expect(error.code).toBe('price_sync_failed')
      expect(error.message.startsWith(message), `${error.message} should start with ${message}`).toBe(true)
      expect(await listed('models.dev')).toEqual(before)
    }
    expect(ok(await call('GET', '/prices/resolve?model=gpt-9'), PriceResolutionSchema).price).toMatchObject({ source: 'models.dev', input: 5 })
  })
})
