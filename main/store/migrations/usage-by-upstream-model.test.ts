import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { UsageRepository } from '../repositories/usage.repository'
import { initialSchema } from './20261122A-initial-schema'
import { usageByUpstreamModel } from './20261130A-usage-by-upstream-model'

const HOUR = 1_700_002_800_000

describe.each(testDatabaseClients())('migration 20261130A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
    await initialSchema.up(db.knex)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('keeps every usage row, with an empty upstream model, and the new key takes more rows per hour', async () => {
    await db.knex('usage_hourly').insert({ hour: HOUR, api_key_id: 1, channel_id: 2, model: 'smart', requests: 5, failures: 1, input_tokens: 100, output_tokens: 50, cost: 0.25 })
    await usageByUpstreamModel.up(db.knex)
    const usage = new UsageRepository(db.knex)
    const [old] = await usage.since(0)
    expect(old).toMatchObject({ model: 'smart', upstreamModel: '', requests: 5, failures: 1, inputTokens: 100, outputTokens: 50, cost: 0.25, unpricedRequests: 0 })
    const delta = { hour: HOUR, apiKeyId: 1, channelId: 2, model: 'smart', requests: 1, failures: 0, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, cost: 0, latencyMsSum: 9, firstTokenMsSum: 0, firstTokenCount: 0 }
    await usage.add([
      { ...delta, upstreamModel: 'gpt-4.1', unpricedRequests: 0 },
      { ...delta, upstreamModel: 'claude-x', unpricedRequests: 1 }
    ])
    const rows = await usage.since(0)
    expect(rows.map(r => [r.upstreamModel, r.requests, r.unpricedRequests])).toEqual([
      ['', 5, 0],
      ['claude-x', 1, 1],
      ['gpt-4.1', 1, 0]
    ])
    const groups = await db.knex('groups').columnInfo()
    expect(Object.keys(groups)).toContain('model_pattern')
  })

  it('rolls back by summing the upstream models of each key', async () => {
    await usageByUpstreamModel.up(db.knex)
    await db.knex('usage_hourly').insert([
      { hour: HOUR, api_key_id: 1, channel_id: 2, model: 'smart', upstream_model: 'a', requests: 2, input_tokens: 10 },
      { hour: HOUR, api_key_id: 1, channel_id: 2, model: 'smart', upstream_model: 'b', requests: 3, input_tokens: 20 }
    ])
    await usageByUpstreamModel.down(db.knex)
    const rows = (await db.knex('usage_hourly').select('model', 'requests', 'input_tokens')) as Array<Record<string, unknown>>
    expect(rows.map(r => [r.model, Number(r.requests), Number(r.input_tokens)])).toEqual([['smart', 5, 30]])
  })
})
