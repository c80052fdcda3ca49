import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSecretBox } from '../../security/secret-box'
import { channelFields, groupFields } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { ChannelRepository } from '../repositories/channel.repository'
import { GroupRepository } from '../repositories/group.repository'
import { errorRules } from './20261210A-error-rules'
import { MIGRATIONS } from '.'

const AT = 1_700_000_000_000

describe.each(testDatabaseClients())('migration 20261210A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('adds error rules to channels and groups; rows from before read as no rules', async () => {
    // A group written before this step, then every step (the later ones too: the repositories write their columns).
    for (const migration of MIGRATIONS) {
      if (migration === errorRules) await db.knex('groups').insert({ name: 'old', mode: 'failover', enabled: true, fallback: '[]', created_at: AT, updated_at: AT })
      await migration.up(db.knex)
    }
    const groups = new GroupRepository(db.knex, () => AT)
    expect((await groups.findByName('old'))?.errorRules).toEqual([])

    const rules = groupFields().errorRules
    expect((await groups.create(groupFields({ name: 'ruled' }))).errorRules).toEqual(rules)
    const channels = new ChannelRepository(db.knex, createSecretBox(Buffer.alloc(32, 7)), () => AT)
    const channel = await channels.create(channelFields())
    expect(channel.errorRules).toEqual(channelFields().errorRules)
    expect((await channels.update(channel.id, { errorRules: [] }))?.errorRules).toEqual([])
  })

  it('rolls back', async () => {
    for (const migration of MIGRATIONS.slice(0, MIGRATIONS.indexOf(errorRules) + 1)) await migration.up(db.knex)
    await errorRules.down(db.knex)
    expect(Object.keys(await db.knex('channels').columnInfo())).not.toContain('error_rules')
    expect(Object.keys(await db.knex('groups').columnInfo())).not.toContain('error_rules')
  })
})
