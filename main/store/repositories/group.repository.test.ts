import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelFields, FIXED_NOW, fixedClock, groupFields, movableClock, testSecretBox } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { isUniqueViolation } from '../columns'
import { migrate } from '../migrate'
import type { GroupMemberRecord } from '../records'
import { initialSchema } from '../migrations/20261122A-initial-schema'
import { usageByUpstreamModel } from '../migrations/20261130A-usage-by-upstream-model'
import { MIGRATIONS } from '../migrations'
import { ChannelRepository } from './channel.repository'
import { GroupRepository } from './group.repository'

describe.each(testDatabaseClients())('GroupRepository on %s', client => {
  let db: TestDatabase
  let groups: GroupRepository
  const clock = movableClock()
  const ch: number[] = []

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    groups = new GroupRepository(db.knex, clock)
    const channels = new ChannelRepository(db.knex, testSecretBox(), clock)
    for (const name of ['c0', 'c1', 'c2']) ch.push((await channels.create(channelFields({ name }))).id)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  /** Members in an order that is neither by channel id nor by priority nor by model. */
  const members = (): GroupMemberRecord[] => [
    { channelId: ch[2] ?? 0, model: 'zeta', priority: 1, weight: 10 },
    { channelId: ch[0] ?? 0, model: 'alpha', priority: 9, weight: 1 },
    { channelId: ch[1] ?? 0, model: 'mid', priority: 0, weight: 5 },
    { channelId: ch[0] ?? 0, model: 'beta', priority: 3, weight: 2 }
  ]

  it('creates a group with every field and keeps member order', async () => {
    clock.set(FIXED_NOW)
    const fields = groupFields({ name: 'ordered', members: members() })
    const created = await groups.create(fields)
    expect(created).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
    expect(created.members.map(m => m.model)).toEqual(['zeta', 'alpha', 'mid', 'beta'])
    expect(await groups.get(created.id)).toEqual(created)
    const listed = (await groups.list()).find(g => g.id === created.id)
    expect(listed).toEqual(created)
  })

  it('keeps nulls, false and empty lists', async () => {
    const fields = groupFields({
      name: 'sparse',
      mode: 'failover',
      enabled: false,
      fallback: [],
      firstTokenTimeoutMs: null,
      totalTimeoutMs: null,
      maxAttempts: null,
      modelPattern: null,
      members: []
    })
    const created = await groups.create(fields)
    expect(await groups.get(created.id)).toEqual({ ...fields, id: created.id, createdAt: FIXED_NOW, updatedAt: FIXED_NOW })
  })

  it('replaces the members when an update gives new ones', async () => {
    const created = await groups.create(groupFields({ name: 'replace', members: members() }))
    clock.set(FIXED_NOW + 5_000)
    const next: GroupMemberRecord[] = [
      { channelId: ch[1] ?? 0, model: 'new-b', priority: 2, weight: 7 },
      { channelId: ch[2] ?? 0, model: 'new-a', priority: 1, weight: 8 }
    ]
    const updated = await groups.update(created.id, { members: next, mode: 'round-robin' })
    expect(updated).toEqual({ ...created, members: next, mode: 'round-robin', updatedAt: FIXED_NOW + 5_000 })
    const rows = (await db.knex('group_members').where({ group_id: created.id })) as unknown[]
    expect(rows).toHaveLength(2)
    clock.set(FIXED_NOW)
  })

  it('clears the members when an update gives an empty list', async () => {
    const created = await groups.create(groupFields({ name: 'clear', members: members() }))
    const updated = await groups.update(created.id, { members: [] })
    expect(updated?.members).toEqual([])
    expect(await db.knex('group_members').where({ group_id: created.id })).toEqual([])
  })

  it('keeps the members when an update does not mention them', async () => {
    const created = await groups.create(groupFields({ name: 'keep', members: members() }))
    const updated = await groups.update(created.id, {
      enabled: false,
      fallback: ['x'],
      firstTokenTimeoutMs: null,
      maxAttempts: 9
    })
    expect(updated).toEqual({
      ...created,
      enabled: false,
      fallback: ['x'],
      firstTokenTimeoutMs: null,
      maxAttempts: 9
    })
    expect(updated?.members).toEqual(members())
  })

  it('returns null when updating a missing group', async () => {
    expect(await groups.update(999_999, { enabled: false })).toBeNull()
  })

  it('finds a group by name with its members', async () => {
    const created = await groups.create(groupFields({ name: 'by-name', members: members().slice(0, 2) }))
    expect(await groups.findByName('by-name')).toEqual(created)
    expect(await groups.findByName('nope')).toBeNull()
  })

  it('rolls back the group when a member is invalid', async () => {
    const bad: GroupMemberRecord[] = [
      { channelId: ch[0] ?? 0, model: 'same', priority: 0, weight: 1 },
      { channelId: ch[0] ?? 0, model: 'same', priority: 1, weight: 1 }
    ]
    let caught: unknown = null
    try {
      await groups.create(groupFields({ name: 'atomic', members: bad }))
    } catch (err) {
      caught = err
    }
    expect(isUniqueViolation(caught)).toBe(true)
    expect(await groups.findByName('atomic')).toBeNull()
  })

  it('deletes a group together with its members', async () => {
    const created = await groups.create(groupFields({ name: 'doomed', members: members() }))
    expect(await groups.delete(created.id)).toBe(true)
    expect(await groups.get(created.id)).toBeNull()
    expect(await groups.findByName('doomed')).toBeNull()
    expect(await db.knex('group_members').where({ group_id: created.id })).toEqual([])
    expect(await groups.delete(created.id)).toBe(false)
  })

  it('keeps a model pattern exactly (escapes, quotes, non-ASCII, case, 500 characters) and changes it alone', async () => {
    const pattern = `^Claude-(opus|sonnet)-4\\.\\d+$|'é"${'x'.repeat(20)}`
    const created = await groups.create(groupFields({ name: 'patterned', modelPattern: pattern, members: members() }))
    expect(created.modelPattern).toBe(pattern)
    expect((await groups.findByName('patterned'))?.modelPattern).toBe(pattern)
    const longest = `^${'A'.repeat(499)}`
    const updated = await groups.update(created.id, { modelPattern: longest })
    expect(updated).toEqual({ ...created, modelPattern: longest })
    expect((await groups.update(created.id, { modelPattern: null }))?.modelPattern).toBeNull()
    expect((await groups.get(created.id))?.members).toEqual(members())
  })

  it('appends members after the current ones, skipping pairs it has (or repeats), and restamps the group', async () => {
    const first = members().slice(0, 2)
    const created = await groups.create(groupFields({ name: 'appended', members: first }))
    clock.set(FIXED_NOW + 9_000)
    const added = await groups.addMembers(created.id, [
      { channelId: ch[2] ?? 0, model: 'zeta', priority: 0, weight: 1 },
      { channelId: ch[1] ?? 0, model: 'new-1', priority: 0, weight: 1 },
      { channelId: ch[1] ?? 0, model: 'new-1', priority: 4, weight: 4 },
      { channelId: ch[0] ?? 0, model: 'new-2', priority: 2, weight: 6 }
    ])
    const fresh = [
      { channelId: ch[1] ?? 0, model: 'new-1', priority: 0, weight: 1 },
      { channelId: ch[0] ?? 0, model: 'new-2', priority: 2, weight: 6 }
    ]
    expect(added).toEqual(fresh)
    expect(await groups.get(created.id)).toEqual({ ...created, members: [...first, ...fresh], updatedAt: FIXED_NOW + 9_000 })
    expect(await groups.addMembers(created.id, fresh)).toEqual([])
    expect(await groups.addMembers(999_999, fresh)).toBeNull()
    // After the list is rewritten, appended members still come after the others.
    const kept = { channelId: ch[0] ?? 0, model: 'kept', priority: 0, weight: 1 }
    const later = { channelId: ch[2] ?? 0, model: 'later', priority: 0, weight: 1 }
    await groups.update(created.id, { members: [kept] })
    await groups.addMembers(created.id, [later])
    expect((await groups.get(created.id))?.members).toEqual([kept, later])
    clock.set(FIXED_NOW)
  })
})

describe.each(testDatabaseClients())('groups across migration 20261130A on %s', client => {
  let db: TestDatabase
  afterAll(async () => {
    await db?.destroy()
  })

  it('reads a group written before the pattern column existed as having none, and a rollback keeps the group', async () => {
    db = await createTestDatabase(client)
    await initialSchema.up(db.knex)
    await db.knex('groups').insert({ name: 'old', mode: 'failover', enabled: true, fallback: '[]', created_at: FIXED_NOW, updated_at: FIXED_NOW })
    // The later steps too: the repository writes the columns they add.
    for (const migration of MIGRATIONS.slice(MIGRATIONS.indexOf(usageByUpstreamModel))) await migration.up(db.knex)
    const groups = new GroupRepository(db.knex, fixedClock)
    expect(await groups.findByName('old')).toMatchObject({ name: 'old', modelPattern: null, members: [] })
    const made = await groups.create(groupFields({ name: 'new', modelPattern: '^gpt-' }))
    expect((await groups.get(made.id))?.modelPattern).toBe('^gpt-')
    await usageByUpstreamModel.down(db.knex)
    const names = ((await db.knex('groups').select('name').orderBy('id')) as Array<{ name: string }>).map(r => r.name)
    expect(names).toEqual(['old', 'new'])
    expect(Object.keys(await db.knex('groups').columnInfo())).not.toContain('model_pattern')
  })
})
