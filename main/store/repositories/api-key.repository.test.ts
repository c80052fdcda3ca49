import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXED_NOW, movableClock } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { isUniqueViolation } from '../columns'
import { migrate } from '../migrate'
import type { ApiKeyFields } from '../records'
import { ApiKeyRepository } from './api-key.repository'

function keyFields(name: string, overrides: Partial<ApiKeyFields> = {}): ApiKeyFields {
  return {
    name,
    keyHash: createHash('sha256').update(`ck-${name}`).digest('hex'),
    keyPrefix: 'ck-abcd',
    allowedGroups: ['smart', 'cheap'],
    limits: { rpm: 60, tpm: 100_000, monthlyBudgetUsd: 12.5 },
    expiresAt: FIXED_NOW + 86_400_000,
    enabled: true,
    ...overrides
  }
}

describe.each(testDatabaseClients())('ApiKeyRepository on %s', client => {
  let db: TestDatabase
  let keys: ApiKeyRepository
  const clock = movableClock()

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    keys = new ApiKeyRepository(db.knex, clock)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('round-trips every field through create, get, findByName and list', async () => {
    clock.set(FIXED_NOW)
    const fields = keyFields('full')
    const created = await keys.create(fields)
    expect(created).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
    expect(created.keyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(await keys.get(created.id)).toEqual(created)
    expect(await keys.findByName('full')).toEqual(created)
    expect((await keys.list()).find(k => k.id === created.id)).toEqual(created)
    expect(await keys.get(999_999)).toBeNull()
    expect(await keys.findByName('missing')).toBeNull()
  })

  it('keeps null allowedGroups (all groups), empty limits, null expiry and false', async () => {
    const fields = keyFields('open', { allowedGroups: null, limits: {}, expiresAt: null, enabled: false })
    const created = await keys.create(fields)
    const read = await keys.get(created.id)
    expect(read).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
    expect(read?.allowedGroups).toBeNull()
    expect(read?.expiresAt).toBeNull()
    const row = (await db.knex('api_keys').where({ id: created.id }).first()) as Record<string, unknown>
    expect(row.allowed_groups).toBeNull()
  })

  it('keeps an empty allowedGroups list distinct from null', async () => {
    const created = await keys.create(keyFields('none-allowed', { allowedGroups: [] }))
    expect((await keys.get(created.id))?.allowedGroups).toEqual([])
  })

  it('updates the given fields only', async () => {
    clock.set(FIXED_NOW)
    const created = await keys.create(keyFields('to-update'))
    clock.set(FIXED_NOW + 1_000)
    const updated = await keys.update(created.id, { enabled: false, allowedGroups: null, limits: { rpm: 5 } })
    expect(updated).toEqual({
      ...created,
      enabled: false,
      allowedGroups: null,
      limits: { rpm: 5 },
      updatedAt: FIXED_NOW + 1_000
    })
    expect(await keys.update(999_999, { enabled: true })).toBeNull()
    clock.set(FIXED_NOW)
  })

  it('lists keys oldest first', async () => {
    const ids = (await keys.list()).map(k => k.id)
    expect(ids.length).toBeGreaterThanOrEqual(4)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
  })

  it('rejects a duplicate name or a duplicate hash', async () => {
    await keys.create(keyFields('unique'))
    const attempt = async (fields: ApiKeyFields): Promise<unknown> => {
      try {
        await keys.create(fields)
        return null
      } catch (err) {
        return err
      }
    }
    expect(isUniqueViolation(await attempt(keyFields('unique', { keyHash: 'f'.repeat(64) })))).toBe(true)
    expect(isUniqueViolation(await attempt({ ...keyFields('unique'), name: 'other-name' }))).toBe(true)
  })

  it('deletes a key', async () => {
    const created = await keys.create(keyFields('doomed'))
    expect(await keys.delete(created.id)).toBe(true)
    expect(await keys.get(created.id)).toBeNull()
    expect(await keys.delete(created.id)).toBe(false)
  })
})
