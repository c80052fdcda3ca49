import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { DeletedSchema } from '@shared/dto/common'
import { PriceDtoSchema, PricePageSchema, PriceResolutionSchema, type PriceDto, type PriceResolution } from '@shared/dto/price'
import { bundledSnapshot } from '../../pricing/bundled-snapshot'
import { snapshotPrices } from '../../pricing/models-dev'
import { adminCall, adminErrorOf, type AdminReply } from '../../testing/admin-client'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'

/** models.dev prices the core seeds from the bundled snapshot. */
const SEEDED = snapshotPrices(bundledSnapshot()).length

describe.each(testDatabaseClients())('admin prices on %s', client => {
  let db: TestDatabase
  let cuttle: TestCore
  let token: string
  let anthropicChannel = 0
  let geminiChannel = 0

  const call = (method: string, path: string, body?: unknown): Promise<AdminReply> => adminCall(cuttle.url, method, path, { token, body })
  function ok<T>(reply: AdminReply, schema: z.ZodType<T>, status = 200): T {
    expect(reply.status, reply.text).toBe(status)
    return schema.parse(reply.json)
  }
  const resolve = async (query: string): Promise<PriceResolution> => ok(await call('GET', `/prices/resolve?${query}`), PriceResolutionSchema)
  const create = async (body: Record<string, unknown>): Promise<PriceDto> => ok(await call('POST', '/prices', body), PriceDtoSchema, 201)
  const devPrice = async (model: string, provider: string): Promise<PriceDto> => {
    const page = ok(await call('GET', `/prices?source=models.dev&search=${encodeURIComponent(model)}&pageSize=500`), PricePageSchema)
    const found = page.items.find(p => p.model === model && p.provider === provider)
    if (!found) throw new Error(`no models.dev price for ${model} at ${provider}`)
    return found
  }

  beforeAll(async () => {
    db = await createTestDatabase(client)
    cuttle = await startTestCore(db)
    token = await cuttle.login()
    const channel = async (name: string, type: string): Promise<number> =>
      ok(await call('POST', '/channels', { name, type, baseUrls: ['https://api.example.com'], keys: ['sk-test-key-000000000001'], models: ['m'] }), ChannelDtoSchema, 201).id
    anthropicChannel = await channel('anthropic-main', 'anthropic')
    geminiChannel = await channel('gemini-main', 'gemini')
  })

  afterAll(async () => {
    await cuttle?.stop()
    await db?.destroy()
  })

  it('needs the admin token', async () => {
    expect(adminErrorOf(await adminCall(cuttle.url, 'GET', '/prices'), 401).code).toBe('unauthorized')
  })

  it('starts with the bundled models.dev prices, listed a page at a time', async () => {
    const first = ok(await call('GET', '/prices'), PricePageSchema)
    expect(first).toMatchObject({ total: SEEDED, page: 1, pageSize: 50 })
    expect(first.items).toHaveLength(50)
    const second = ok(await call('GET', '/prices?page=2&pageSize=20'), PricePageSchema)
    const firstForty = ok(await call('GET', '/prices?pageSize=40'), PricePageSchema)
    expect(second.items).toEqual(firstForty.items.slice(20, 40))
    const last = ok(await call('GET', `/prices?page=${Math.ceil(SEEDED / 500)}&pageSize=500`), PricePageSchema)
    expect(last.items).toHaveLength(SEEDED % 500 || 500)
    expect(await devPrice('gpt-4o', 'openai')).toMatchObject({ source: 'models.dev', provider: 'openai', input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: null, tiers: [] })
  })

  it('searches the model name in any case and filters by source', async () => {
    const found = ok(await call('GET', '/prices?search=GPT-4O-MINI&source=models.dev&pageSize=500'), PricePageSchema)
    expect(found.total).toBe(found.items.length)
    expect(found.total).toBeGreaterThan(0)
    expect(found.items.every(p => p.model.toLowerCase().includes('gpt-4o-mini') && p.source === 'models.dev')).toBe(true)
    expect(ok(await call('GET', '/prices?source=user'), PricePageSchema)).toEqual({ items: [], total: 0, page: 1, pageSize: 50 })
  })

  it('refuses bad list queries', async () => {
    for (const query of ['pageSize=501', 'pageSize=0', 'page=0', 'source=vendor', 'channelId=abc']) {
      expect(adminErrorOf(await call('GET', `/prices?${query}`), 400).code, query).toBe('validation_failed')
    }
  })

  it('creates, changes and deletes a user price, and the relay sees each change at once', async () => {
    const tiers = [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }]
    const created = await create({ model: 'claude-sonnet-4-20250514', input: 2, output: 10, cacheRead: 0.2, tiers })
    expect(created).toMatchObject({ source: 'user', channelId: null, provider: null, input: 2, output: 10, cacheRead: 0.2, cacheWrite: null, tiers })
    expect(ok(await call('GET', `/prices/${created.id}`), PriceDtoSchema)).toEqual(created)
    expect((await resolve(`model=claude-sonnet-4-20250514&channelId=${anthropicChannel}`)).price?.id).toBe(created.id)

    const changed = ok(await call('PATCH', `/prices/${created.id}`, { input: 2.5, cacheWrite: 3, tiers: [] }), PriceDtoSchema)
    expect(changed).toMatchObject({ id: created.id, input: 2.5, output: 10, cacheRead: 0.2, cacheWrite: 3, tiers: [] })
    expect((await resolve('model=claude-sonnet-4-20250514')).price).toEqual(changed)

    expect(ok(await call('DELETE', `/prices/${created.id}`), DeletedSchema)).toEqual({ deleted: true })
    expect(adminErrorOf(await call('GET', `/prices/${created.id}`), 404).code).toBe('not_found')
    expect(adminErrorOf(await call('DELETE', `/prices/${created.id}`), 404).code).toBe('not_found')
    expect((await resolve('model=claude-sonnet-4-20250514')).price?.source).toBe('models.dev')
  })

  it('creates a price for one channel, which beats the user price there only', async () => {
    const userPrice = await create({ model: 'house-model', input: 1, output: 2 })
    const channelPrice = await create({ model: 'house-model', channelId: geminiChannel, input: 0.5, output: 1, cacheRead: 0.1, cacheWrite: 0.2 })
    expect(channelPrice).toMatchObject({ source: 'channel', channelId: geminiChannel })
    expect(await create({ model: 'house-model', source: 'channel', channelId: anthropicChannel, input: 0.7, output: 1 })).toMatchObject({ source: 'channel' })
    const onGemini = await resolve(`model=house-model&channelId=${geminiChannel}`)
    expect(onGemini).toEqual({ model: 'house-model', channelId: geminiChannel, price: channelPrice, match: null, reason: `Channel ${geminiChannel} has its own price for "house-model".` })
    const everywhere = await resolve('model=House-Model')
    expect(everywhere).toMatchObject({ price: userPrice, match: null, reason: 'The user price for "house-model" applies.' })
    const listed = ok(await call('GET', `/prices?channelId=${geminiChannel}`), PricePageSchema)
    expect(listed.items).toEqual([channelPrice])
  })

  it('validates prices', async () => {
    const fieldsOf = async (body: unknown): Promise<string[]> => (adminErrorOf(await call('POST', '/prices', body), 400).fields ?? []).map(f => f.path)
    expect(await fieldsOf({ model: 'x', input: -1, output: 1 })).toEqual(['input'])
    expect(await fieldsOf({ model: 'x', input: 1, output: 1, cacheRead: -0.1 })).toEqual(['cacheRead'])
    expect(await fieldsOf({ input: 1, output: 1 })).toEqual(['model'])
    expect(await fieldsOf({ model: 'has space', input: 1, output: 1 })).toEqual(['model'])
    expect(await fieldsOf({ model: 'x', input: 1 })).toEqual(['output'])
    expect(await fieldsOf({ model: 'x', input: '1', output: 1 })).toEqual(['input'])
    expect(await fieldsOf({ model: 'x', source: 'channel', input: 1, output: 1 })).toEqual(['channelId'])
    expect(await fieldsOf({ model: 'x', source: 'user', channelId: geminiChannel, input: 1, output: 1 })).toEqual(['channelId'])
    expect(await fieldsOf({ model: 'x', source: 'models.dev', input: 1, output: 1 })).toEqual(['source'])
    expect(await fieldsOf({ model: 'x', input: 1, output: 1, tiers: [{ aboveInputTokens: 0, input: 1, output: 1 }] })).toEqual(['tiers.0.aboveInputTokens'])
    const missing = adminErrorOf(await call('POST', '/prices', { model: 'x', channelId: 999_999, input: 1, output: 1 }), 400)
    expect(missing).toMatchObject({ code: 'validation_failed', fields: [{ path: 'channelId', message: 'no channel has id 999999' }] })
    const patch = adminErrorOf(await call('PATCH', '/prices/1', { source: 'user' }), 400)
    expect(patch.code).toBe('validation_failed')
  })

  it('refuses a second user price, or channel price, for the same model (in any case)', async () => {
    const first = await create({ model: 'dup-model', input: 1, output: 2 })
    const again = adminErrorOf(await call('POST', '/prices', { model: 'DUP-MODEL', input: 3, output: 4 }), 409)
    expect(again.message).toBe(`A user price for "dup-model" already exists (price ${first.id}); change that one with PATCH /api/v1/prices/${first.id}.`)
    const other = await create({ model: 'dup-model-2', input: 1, output: 2 })
    expect(adminErrorOf(await call('PATCH', `/prices/${other.id}`, { model: 'Dup-Model' }), 409).code).toBe('conflict')
    await create({ model: 'dup-model', channelId: geminiChannel, input: 1, output: 2 })
    expect(adminErrorOf(await call('POST', '/prices', { model: 'dup-model', channelId: geminiChannel, input: 1, output: 2 }), 409).code).toBe('conflict')
  })

  it('keeps models.dev prices read-only: 409 with the way out', async () => {
    const dev = await devPrice('gemini-2.5-pro', 'google')
    for (const reply of [await call('PATCH', `/prices/${dev.id}`, { input: 0 }), await call('DELETE', `/prices/${dev.id}`)]) {
      const error = adminErrorOf(reply, 409)
      expect(error).toEqual({
        code: 'conflict',
        message: `Price ${dev.id} comes from models.dev and is read-only (every sync replaces it). Add a user price for "gemini-2.5-pro" instead (POST /api/v1/prices); it takes precedence.`
      })
    }
    expect(await devPrice('gemini-2.5-pro', 'google')).toEqual(dev)
  })

  it('resolves models.dev prices by channel type and normalised name, and says when none is known', async () => {
    const gemini = await resolve(`model=models/Gemini-2.5-Pro&channelId=${geminiChannel}`)
    expect(gemini).toMatchObject({ match: 'exact', price: { provider: 'google', model: 'gemini-2.5-pro', input: 1.25, output: 10, cacheRead: 0.31 } })
    expect(gemini.reason).toBe(`No user or channel price; models.dev lists "gemini-2.5-pro" at google, the provider of this channel's type.`)
    const dated = await resolve(`model=claude-3-5-haiku-20991231&channelId=${anthropicChannel}`)
    expect(dated).toMatchObject({ match: 'without-date-suffix', price: { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', input: 0.8, output: 4 } })
    expect(dated.reason).toContain('matched without the date suffix of "claude-3-5-haiku-20991231"')
    const unknown = await resolve('model=no-such-model-anywhere')
    expect(unknown).toEqual({
      model: 'no-such-model-anywhere',
      channelId: null,
      price: null,
      match: null,
      reason: 'No price is known for "no-such-model-anywhere": its requests log no cost and count as unpriced. Add a user price to cost them.'
    })
    expect(adminErrorOf(await call('GET', '/prices/resolve?model=x&channelId=999999'), 404).code).toBe('not_found')
    expect(adminErrorOf(await call('GET', '/prices/resolve'), 400).code).toBe('validation_failed')
  })

  it('lists the price routes in the OpenAPI document', async () => {
    const doc = (await adminCall(cuttle.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths['/api/v1/prices'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/api/v1/prices/sync'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/api/v1/prices/resolve'] ?? {})).toEqual(['get'])
  })
})
