import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelFields, FIXED_NOW, movableClock, testSecretBox } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import type { PriceFields } from '../records'
import { ChannelRepository } from './channel.repository'
import { PriceRepository } from './price.repository'

function price(model: string, overrides: Partial<PriceFields> = {}): PriceFields {
  return { model, source: 'user', channelId: null, input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 3.75, ...overrides }
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

  const modelNames = async (search?: string): Promise<string[]> => (await prices.list(search)).map(p => p.model).sort()

  it('put inserts, then updates the same (model, source, null channel) row', async () => {
    clock.set(FIXED_NOW)
    const first = await prices.put(price('gpt-4.1'))
    expect(first).toEqual({ ...price('gpt-4.1'), id: first.id, updatedAt: FIXED_NOW })

    clock.set(FIXED_NOW + 1_000)
    const second = await prices.put(price('gpt-4.1', { input: 0.1, output: 0.4, cacheRead: 0, cacheWrite: 0.03 }))
    expect(second).toEqual({
      ...price('gpt-4.1', { input: 0.1, output: 0.4, cacheRead: 0, cacheWrite: 0.03 }),
      id: first.id,
      updatedAt: FIXED_NOW + 1_000
    })
    expect(await prices.get(first.id)).toEqual(second)
    const rows = (await db.knex('prices').where({ model: 'gpt-4.1' })) as unknown[]
    expect(rows).toHaveLength(1)
    clock.set(FIXED_NOW)
  })

  it('keeps separate rows per source and per channel', async () => {
    const user = await prices.put(price('claude', { source: 'user' }))
    const dev = await prices.put(price('claude', { source: 'models.dev', input: 3 }))
    const chan = await prices.put(price('claude', { source: 'channel', channelId, input: 4 }))
    const chanAgain = await prices.put(price('claude', { source: 'channel', channelId, input: 5 }))
    const nullChannel = await prices.put(price('claude', { source: 'channel', channelId: null, input: 6 }))

    expect(new Set([user.id, dev.id, chan.id, nullChannel.id]).size).toBe(4)
    expect(chanAgain.id).toBe(chan.id)
    expect(chanAgain.channelId).toBe(channelId)
    expect(chanAgain.input).toBe(5)
    const listed = await prices.list('claude')
    expect(listed.map(p => [p.source, p.channelId, p.input]).sort()).toEqual(
      [
        ['channel', channelId, 5],
        ['channel', null, 6],
        ['models.dev', null, 3],
        ['user', null, 2.5]
      ].sort()
    )
  })

  it('search is case-insensitive', async () => {
    await prices.put(price('GPT-4o-Mini'))
    await prices.put(price('Claude-Sonnet-4'))
    expect(await modelNames('gpt-4O')).toEqual(['GPT-4o-Mini'])
    expect(await modelNames('SONNET')).toEqual(['Claude-Sonnet-4'])
    expect(await modelNames('gpt')).toEqual(['GPT-4o-Mini', 'gpt-4.1'].sort())
  })

  it('search treats % and _ literally', async () => {
    for (const model of ['pct%lit', 'pctXlit', 'und_lit', 'undYlit', 'back\\slash', 'backXslash']) {
      await prices.put(price(model))
    }
    expect(await modelNames('%')).toEqual(['pct%lit'])
    expect(await modelNames('t%l')).toEqual(['pct%lit'])
    expect(await modelNames('_')).toEqual(['und_lit'])
    expect(await modelNames('d_l')).toEqual(['und_lit'])
    expect(await modelNames('k\\s')).toEqual(['back\\slash'])
    expect(await modelNames('no-such-model')).toEqual([])
  })

  it('lists everything without a search, ordered by model then source', async () => {
    const all = await prices.list()
    expect(all.length).toBe(await db.knex('prices').count({ n: '*' }).first().then(r => Number(r?.n)))
    const claude = all.filter(p => p.model === 'claude').map(p => p.source)
    expect(claude).toEqual(['channel', 'channel', 'models.dev', 'user'])
  })

  it('deletes a price, and channel prices go with their channel', async () => {
    const doomed = await prices.put(price('doomed'))
    expect(await prices.delete(doomed.id)).toBe(true)
    expect(await prices.get(doomed.id)).toBeNull()
    expect(await prices.delete(doomed.id)).toBe(false)

    const channels = new ChannelRepository(db.knex, testSecretBox(), clock)
    const tmp = await channels.create(channelFields({ name: 'tmp-priced' }))
    const p = await prices.put(price('cascade', { source: 'channel', channelId: tmp.id }))
    await channels.delete(tmp.id)
    expect(await prices.get(p.id)).toBeNull()
  })
})
