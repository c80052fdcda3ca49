import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXED_NOW, movableClock } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { isUniqueViolation } from '../columns'
import { migrate } from '../migrate'
import { UserRepository } from './user.repository'

describe.each(testDatabaseClients())('UserRepository on %s', client => {
  let db: TestDatabase
  let users: UserRepository
  const clock = movableClock()

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, clock)
    users = new UserRepository(db.knex, clock)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('counts zero accounts on an empty database', async () => {
    expect(await users.count()).toBe(0)
  })

  it('creates an account with epoch 0 and finds it by id and name', async () => {
    clock.set(FIXED_NOW)
    const created = await users.create('admin', 'hash-1')
    expect(created).toEqual({
      id: created.id,
      username: 'admin',
      passwordHash: 'hash-1',
      sessionEpoch: 0,
      createdAt: FIXED_NOW,
      updatedAt: FIXED_NOW
    })
    expect(await users.get(created.id)).toEqual(created)
    expect(await users.findByUsername('admin')).toEqual(created)
    expect(await users.findByUsername('nobody')).toBeNull()
    expect(await users.get(999_999)).toBeNull()
    expect(await users.count()).toBe(1)
  })

  it('setPassword changes the hash, restamps and increments the session epoch', async () => {
    clock.set(FIXED_NOW)
    const user = await users.create('pw-user', 'old-hash')
    clock.set(FIXED_NOW + 10_000)
    await users.setPassword(user.id, 'new-hash')
    expect(await users.get(user.id)).toEqual({
      ...user,
      passwordHash: 'new-hash',
      sessionEpoch: 1,
      updatedAt: FIXED_NOW + 10_000
    })
    await users.setPassword(user.id, 'newer-hash')
    const again = await users.get(user.id)
    expect(again?.passwordHash).toBe('newer-hash')
    expect(again?.sessionEpoch).toBe(2)
    clock.set(FIXED_NOW)
  })

  it('revokeSessions increments the session epoch of that account only', async () => {
    const a = await users.create('revoke-a', 'h')
    const b = await users.create('revoke-b', 'h')
    await users.revokeSessions(a.id)
    await users.revokeSessions(a.id)
    await users.revokeSessions(a.id)
    const readA = await users.get(a.id)
    expect(readA?.sessionEpoch).toBe(3)
    expect(readA?.passwordHash).toBe('h')
    expect((await users.get(b.id))?.sessionEpoch).toBe(0)
  })

  it('rejects a duplicate username', async () => {
    let caught: unknown = null
    try {
      await users.create('admin', 'other')
    } catch (err) {
      caught = err
    }
    expect(isUniqueViolation(caught)).toBe(true)
    expect((await users.findByUsername('admin'))?.passwordHash).toBe('hash-1')
    expect(await users.count()).toBe(4)
  })
})
