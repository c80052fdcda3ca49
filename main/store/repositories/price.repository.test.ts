import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelFields, FIXED_NOW, movableClock, testSecretBox } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import type { PriceFields } from '../records'
import { ChannelRepository } from './channel.repository'
import { PriceRepository } from './price.repository'

function price(model: string, overrides: Partial<PriceFields> = {}): PriceFields {
  return { model, source: 'user', channelId: null, provider: null, input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 3.75, tiers: [], ...overrides }
}

function dev(provider: string, model: string, input: number): PriceFields {
  return price(model, { source: 'models.dev', provider, input, output: input * 4, cacheRead: null, cacheWrite: null })
}

describe.each(testDatabaseClients())('PriceRepository on %s', client => {
  let db: TestDatabase
  let prices: PriceRepository
  const clock = movableClock()
  let channelId = 0

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    prices = new PriceRepository(db.knex, clock)
    channelId = (await new ChannelRepository(db.knex, testSecretBox(), clock).create(channelFields())).id
  })

  afterAll(async () => {
    await db?.destroy()
  })

  const modelNames = async (search?: string): Promise<string[]> => (await prices.list({ search, source: 'user' })).map(p => p.model).sort()

  it('creates, reads and updates a price with unknown cache prices and long-context tiers', async () => {
    clock.set(FIXED_NOW)
    const tiers = [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: null }]
    const fields = price('gpt-4.1', { cacheRead: null, cacheWrite: null, tiers })
    const created = await prices.create(fields)
    expect(created).toEqual({ ...fields, id: created.id, updatedAt: FIXED_NOW })
    expect(await prices.get(created.id)).toEqual(created)

    clock.set(FIXED_NOW + 1_000)
    const updated = await prices.update(created.id, { input: 0.1, cacheRead: 0.025, tiers: [] })
    expect(updated).toEqual({ ...fields, input: 0.1, cacheRead: 0.025, tiers: [], id: created.id, updatedAt: FIXED_NOW + 1_000 })
    expect(await prices.update(999_999, { input: 1 })).toBeNull()
    clock.set(FIXED_NOW)
  })

  it('keeps user, channel and models.dev prices of one model apart, and filters by source and channel', async () => {
    const user = await prices.create(price('claude'))
    const chan = await prices.create(price('claude', { source: 'channel', channelId, input: 4 }))
    await prices.seedModelsDev([dev('anthropic', 'claude', 3), dev('vertex', 'claude', 3.3)])
    expect(new Set([user.id, chan.id]).size).toBe(2)
    const listed = await prices.list({ search: 'claude' })
    expect(listed.map(p => [p.source, p.provider, p.channelId, p.input])).toEqual([
      ['channel', null, channelId, 4],
      ['models.dev', 'anthropic', null, 3],
      ['models.dev', 'vertex', null, 3.3],
      ['user', null, null, 2.5]
    ])
    expect((await prices.list({ channelId })).map(p => p.id)).toEqual([chan.id])
    expect((await prices.list({ source: 'models.dev' })).map(p => p.provider)).toEqual(['anthropic', 'vertex'])
  })

  it('search is case-insensitive', async () => {
    await prices.create(price('GPT-4o-Mini'))
    await prices.create(price('Claude-Sonnet-4'))
    expect(await modelNames('gpt-4O')).toEqual(['GPT-4o-Mini'])
    expect(await modelNames('SONNET')).toEqual(['Claude-Sonnet-4'])
    expect(await modelNames('gpt')).toEqual(['GPT-4o-Mini', 'gpt-4.1'].sort())
  })

  it('search treats % and _ literally', async () => {
    for (const model of ['pct%lit', 'pctXlit', 'und_lit', 'undYlit', 'back\\slash', 'backXslash']) {
      await prices.create(price(model))
    }
    expect(await modelNames('%')).toEqual(['pct%lit'])
    expect(await modelNames('t%l')).toEqual(['pct%lit'])
    expect(await modelNames('_')).toEqual(['und_lit'])
    expect(await modelNames('d_l')).toEqual(['und_lit'])
    expect(await modelNames('k\\s')).toEqual(['back\\slash'])
    expect(await modelNames('no-such-model')).toEqual([])
  })

  it('pages through the matches in model order and counts them all', async () => {
    const all = await prices.list()
    const count = Number((await db.knex('prices').count({ n: '*' }).first())?.n)
    expect(all.length).toBe(count)
    const first = await prices.page({}, 1, 5)
    const third = await prices.page({}, 3, 5)
    expect(first).toEqual({ items: all.slice(0, 5), total: count })
    expect(third).toEqual({ items: all.slice(10, 15), total: count })
    // "lit" matches pct%lit, pctXlit, und_lit, undYlit: the second page of 3 holds the last one.
    const lit = await prices.page({ search: 'lit' }, 2, 3)
    expect(lit.total).toBe(4)
    expect(lit.items).toEqual((await prices.list({ search: 'lit' })).slice(3))
    expect(lit.items.map(p => p.model)).toEqual([expect.stringMatching(/^und.lit$/)])
    expect(await prices.page({ search: 'nothing-like-this' }, 1, 50)).toEqual({ items: [], total: 0 })
  })

  it('seeds models.dev prices only when there are none', async () => {
    const before = await prices.modelsDevState()
    expect(before).toEqual({ count: 2, updatedAt: FIXED_NOW })
    expect(await prices.seedModelsDev([dev('openai', 'gpt-5', 1.25)])).toBe(0)
    expect(await prices.modelsDevState()).toEqual(before)
  })

  it('replaces every models.dev price in one go and keeps user and channel prices', async () => {
    const others = (await prices.list()).filter(p => p.source !== 'models.dev')
    clock.set(FIXED_NOW + 5_000)
    await prices.replaceModelsDev([dev('openai', 'gpt-5', 1.25), dev('openai', 'gpt-5-mini', 0.25), dev('anthropic', 'claude', 3)])
    expect((await prices.list({ source: 'models.dev' })).map(p => [p.provider, p.model, p.input, p.updatedAt])).toEqual([
      ['anthropic', 'claude', 3, FIXED_NOW + 5_000],
      ['openai', 'gpt-5', 1.25, FIXED_NOW + 5_000],
      ['openai', 'gpt-5-mini', 0.25, FIXED_NOW + 5_000]
    ])
    expect((await prices.list()).filter(p => p.source !== 'models.dev')).toEqual(others)
    expect(await prices.modelsDevState()).toEqual({ count: 3, updatedAt: FIXED_NOW + 5_000 })

    // A failing replacement (the same provider and model twice) changes nothing.
    await expect(prices.replaceModelsDev([dev('openai', 'x', 1), dev('openai', 'x', 2)])).rejects.toThrow()
    expect(await prices.modelsDevState()).toEqual({ count: 3, updatedAt: FIXED_NOW + 5_000 })
    clock.set(FIXED_NOW)
  })

  it('seeds an empty table in one transaction, more rows than one INSERT holds', async () => {
    await db.knex('prices').where({ source: 'models.dev' }).delete()
    const many = Array.from({ length: 450 }, (_, i) => dev('bulk', `model-${String(i).padStart(3, '0')}`, i / 100))
    expect(await prices.seedModelsDev(many)).toBe(450)
    const page = await prices.page({ source: 'models.dev' }, 5, 100)
    expect(page.total).toBe(450)
    expect(page.items.map(p => p.model)).toEqual(many.slice(400).map(p => p.model))
    expect(page.items.at(-1)).toMatchObject({ provider: 'bulk', input: 4.49, output: 17.96, cacheRead: null, cacheWrite: null })
  })

  it('deletes a price, and channel prices go with their channel', async () => {
    const doomed = await prices.create(price('doomed'))
    expect(await prices.delete(doomed.id)).toBe(true)
    expect(await prices.get(doomed.id)).toBeNull()
    expect(await prices.delete(doomed.id)).toBe(false)

    const channels = new ChannelRepository(db.knex, testSecretBox(), clock)
    const tmp = await channels.create(channelFields({ name: 'tmp-priced' }))
    const p = await prices.create(price('cascade', { source: 'channel', channelId: tmp.id }))
    await channels.delete(tmp.id)
    expect(await prices.get(p.id)).toBeNull()
  })
})
