import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isUniqueViolation } from '../columns'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { initialSchema } from './20261122A-initial-schema'
import { usageByUpstreamModel } from './20261130A-usage-by-upstream-model'
import { priceProvider } from './20261202A-price-provider'

const AT = 1_700_000_000_000

describe.each(testDatabaseClients())('migration 20261202A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
    await initialSchema.up(db.knex)
    await usageByUpstreamModel.up(db.knex)
  })
  afterEach(async () => {
    await db.destroy()
  })

  const row = (model: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model, source: 'user', input: 1, output: 2, updated_at: AT, ...extra })

  it('keeps prices, allows unknown cache prices and one models.dev price per provider and model', async () => {
    await db.knex('prices').insert(row('old', { cache_read: 0.5, cache_write: 1.5 }))
    await priceProvider.up(db.knex)
    const kept = (await db.knex('prices').where({ model: 'old' }).first()) as Record<string, unknown>
    expect([Number(kept.cache_read), Number(kept.cache_write), kept.provider]).toEqual([0.5, 1.5, null])

    await db.knex('prices').insert(row('no-cache', { cache_read: null, cache_write: null }))
    const open = (await db.knex('prices').where({ model: 'no-cache' }).first()) as Record<string, unknown>
    expect([open.cache_read, open.cache_write]).toEqual([null, null])

    // Two user prices of one model (NULL provider) do not collide; two models.dev prices of one provider do.
    await db.knex('prices').insert([row('twice'), row('twice')])
    await db.knex('prices').insert([row('m', { source: 'models.dev', provider: 'openai' }), row('m', { source: 'models.dev', provider: 'azure' })])
    const duplicate = await db
      .knex('prices')
      .insert(row('m', { source: 'models.dev', provider: 'openai' }))
      .then(
        () => null,
        (err: unknown) => err
      )
    expect(isUniqueViolation(duplicate)).toBe(true)
  })

  it('rolls back to zero cache prices', async () => {
    await priceProvider.up(db.knex)
    await db.knex('prices').insert(row('open', { cache_read: null, cache_write: 0.25 }))
    await priceProvider.down(db.knex)
    const back = (await db.knex('prices').where({ model: 'open' }).first()) as Record<string, unknown>
    expect([Number(back.cache_read), Number(back.cache_write)]).toEqual([0, 0.25])
    expect(Object.keys(await db.knex('prices').columnInfo())).not.toContain('provider')
  })
})
