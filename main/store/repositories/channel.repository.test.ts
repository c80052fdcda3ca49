import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelFields, FIXED_NOW, groupFields, movableClock, testSecretBox } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { isUniqueViolation } from '../columns'
import { migrate } from '../migrate'
import { ChannelRepository } from './channel.repository'
import { GroupRepository } from './group.repository'

describe.each(testDatabaseClients())('ChannelRepository on %s', client => {
  let db: TestDatabase
  let channels: ChannelRepository
  const clock = movableClock()

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    channels = new ChannelRepository(db.knex, testSecretBox(), clock)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('round-trips every field through create, get, findByName and list', async () => {
    clock.set(FIXED_NOW)
    const fields = channelFields({ name: 'round-trip' })
    const created = await channels.create(fields)

    expect(created.id).toBeGreaterThan(0)
    expect(created).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
    expect(await channels.get(created.id)).toEqual(created)
    expect(await channels.findByName('round-trip')).toEqual(created)
    expect(await channels.findByName('no-such-channel')).toBeNull()
    expect(await channels.get(999_999)).toBeNull()
    const listed = await channels.list()
    expect(listed.find(c => c.id === created.id)).toEqual(created)
  })

  it('keeps nulls, false booleans, empty collections and partial timeouts', async () => {
    const fields = channelFields({
      name: 'sparse',
      type: 'anthropic',
      keys: [],
      models: [],
      enabled: false,
      priority: 0,
      weight: 1,
      headers: {},
      proxy: null,
      timeouts: { idleMs: 1_000 },
      modelMap: {},
      autoSync: false
    })
    const created = await channels.create(fields)
    const read = await channels.get(created.id)
    expect(read).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
    expect(read?.enabled).toBe(false)
    expect(read?.autoSync).toBe(false)
    expect(read?.proxy).toBeNull()
    expect(read?.timeouts).toEqual({ idleMs: 1_000 })
  })

  it('lists channels oldest first', async () => {
    const a = await channels.create(channelFields({ name: 'order-a' }))
    const b = await channels.create(channelFields({ name: 'order-b' }))
    const ids = (await channels.list()).map(c => c.id)
    expect(ids).toEqual([...ids].sort((x, y) => x - y))
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id))
  })

  it('updates the given fields, keeps the others and restamps updatedAt only', async () => {
    clock.set(FIXED_NOW)
    const created = await channels.create(channelFields({ name: 'to-update' }))
    clock.set(FIXED_NOW + 60_000)
    const updated = await channels.update(created.id, {
      enabled: false,
      keys: ['sk-new-cccccccccccc'],
      headers: { Authorization2: 'x' },
      proxy: null,
      timeouts: {},
      modelMap: { a: 'b', c: 'd' }
    })
    expect(updated).toEqual({
      ...created,
      enabled: false,
      keys: ['sk-new-cccccccccccc'],
      headers: { Authorization2: 'x' },
      proxy: null,
      timeouts: {},
      modelMap: { a: 'b', c: 'd' },
      updatedAt: FIXED_NOW + 60_000
    })
    expect(await channels.get(created.id)).toEqual(updated)
    expect(await channels.update(999_999, { enabled: true })).toBeNull()
    clock.set(FIXED_NOW)
  })

  it('deletes a channel and reports whether it existed', async () => {
    const created = await channels.create(channelFields({ name: 'to-delete' }))
    expect(await channels.delete(created.id)).toBe(true)
    expect(await channels.get(created.id)).toBeNull()
    expect(await channels.findByName('to-delete')).toBeNull()
    expect(await channels.delete(created.id)).toBe(false)
  })

  it('stores headers and the proxy sealed, never in clear', async () => {
    const created = await channels.create(
      channelFields({ name: 'sealed-extras', headers: { 'api-key': 'hdr-SECRET-42' }, proxy: 'http://user:PROXY-SECRET@127.0.0.1:3128' })
    )
    expect(created.headers).toEqual({ 'api-key': 'hdr-SECRET-42' })
    expect(created.proxy).toBe('http://user:PROXY-SECRET@127.0.0.1:3128')
    const row = (await db.knex('channels').where({ id: created.id }).first()) as Record<string, unknown> | undefined
    expect(String(row?.headers)).toMatch(/^v1\./)
    expect(String(row?.proxy)).toMatch(/^v1\./)
    expect(JSON.stringify(row)).not.toContain('SECRET')
  })

  it('stores provider keys sealed, never in clear', async () => {
    const plain = ['sk-live-SECRET-0000000000001', 'sk-live-SECRET-0000000000002']
    const created = await channels.create(channelFields({ name: 'sealed', keys: plain }))
    expect(created.keys).toEqual(plain)

    const row = (await db.knex('channels').where({ id: created.id }).first()) as Record<string, unknown> | undefined
    expect(row).toBeDefined()
    const rawKeys = row?.keys
    expect(typeof rawKeys).toBe('string')
    const text = String(rawKeys)
    const wholeRow = JSON.stringify(row)
    for (const key of plain) {
      expect(text).not.toContain(key)
      expect(wholeRow).not.toContain(key)
    }
    expect(wholeRow).not.toContain('SECRET')
    const sealed: unknown = JSON.parse(text)
    expect(Array.isArray(sealed)).toBe(true)
    const values = sealed as unknown[]
    expect(values).toHaveLength(plain.length)
    for (const value of values) {
      expect(typeof value).toBe('string')
      expect(String(value).startsWith('v1.')).toBe(true)
    }
    // Each seal uses a fresh IV, so equal keys never give equal ciphertexts.
    expect(new Set(values).size).toBe(values.length)
  })

  it('rejects a duplicate name with a unique violation', async () => {
    await channels.create(channelFields({ name: 'dup' }))
    let caught: unknown = null
    try {
      await channels.create(channelFields({ name: 'dup', type: 'gemini' }))
    } catch (err) {
      caught = err
    }
    expect(caught).not.toBeNull()
    expect(isUniqueViolation(caught)).toBe(true)
    expect((await channels.list()).filter(c => c.name === 'dup')).toHaveLength(1)
  })

  it('removes the group memberships of a deleted channel (cascade)', async () => {
    const groups = new GroupRepository(db.knex, clock)
    const doomed = await channels.create(channelFields({ name: 'cascade-doomed' }))
    const kept = await channels.create(channelFields({ name: 'cascade-kept' }))
    const group = await groups.create(
      groupFields({
        name: 'cascade-group',
        members: [
          { channelId: doomed.id, model: 'm1', priority: 0, weight: 1 },
          { channelId: kept.id, model: 'm2', priority: 1, weight: 2 },
          { channelId: doomed.id, model: 'm3', priority: 2, weight: 3 }
        ]
      })
    )
    const countFor = async (channelId: number): Promise<number> => {
      const row = (await db.knex('group_members').where({ channel_id: channelId }).count({ n: '*' }).first()) as
        | { n: unknown }
        | undefined
      return Number(row?.n)
    }
    expect(await countFor(doomed.id)).toBe(2)

    expect(await channels.delete(doomed.id)).toBe(true)

    expect(await countFor(doomed.id)).toBe(0)
    expect(await countFor(kept.id)).toBe(1)
    expect((await groups.get(group.id))?.members).toEqual([{ channelId: kept.id, model: 'm2', priority: 1, weight: 2 }])
  })
})
