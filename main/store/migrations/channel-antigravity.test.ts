import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSecretBox } from '../../security/secret-box'
import { channelFields } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { ChannelRepository } from '../repositories/channel.repository'
import { channelAntigravity } from './20261213A-channel-antigravity'
import { MIGRATIONS } from '.'

const AT = 1_700_000_000_000
const OPTIONS = { clientId: 'client.apps.googleusercontent.com', clientSecret: 'GOCSPX-not-shown', tokenUrl: 'https://oauth2.googleapis.com/token', endpoint: 'https://cloudcode-pa.googleapis.com', project: 'my-project' }

describe.each(testDatabaseClients())('migration 20261213A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('adds the Antigravity options, sealed; rows from before read as none', async () => {
    for (const migration of MIGRATIONS) await migration.up(db.knex)
    const channels = new ChannelRepository(db.knex, createSecretBox(Buffer.alloc(32, 7)), () => AT)
    // A row from before this step holds NULL, as the column's default gives it.
    const old = await channels.create(channelFields({ name: 'old' }))
    expect((await db.knex('channels').where({ id: old.id }).first())?.antigravity).toBeNull()
    expect((await channels.get(old.id))?.antigravity).toBeNull()

    const created = await channels.create(channelFields({ name: 'ag', type: 'gemini', antigravity: OPTIONS }))
    expect(created.antigravity).toEqual(OPTIONS)
    const stored = (await db.knex('channels').where({ id: created.id }).first()) as { antigravity: string }
    expect(stored.antigravity).not.toContain('GOCSPX')
    expect((await channels.update(created.id, { antigravity: null }))?.antigravity).toBeNull()
  })

  it('rolls back', async () => {
    for (const migration of MIGRATIONS) await migration.up(db.knex)
    await channelAntigravity.down(db.knex)
    expect(Object.keys(await db.knex('channels').columnInfo())).not.toContain('antigravity')
  })
})
