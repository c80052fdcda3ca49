import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ANTIGRAVITY_ENDPOINT, ANTIGRAVITY_TOKEN_URL } from '@shared/dto/channel'
import { ANTIGRAVITY_OPT_IN, ANTIGRAVITY_TERMS } from '../relay/antigravity/terms'
import { hashClientKey } from '../security/client-key'
import { testDatabaseClients } from '../testing/test-db'
import { applyProvision } from './apply-provision'
import type { ProvisionFile } from './provision-schema'
import { SECRET_KEYS, clearTables, provisionDb, rowCounts, snapshot, type ProvisionDb } from './provision-test-kit'

const channel = (name: string): NonNullable<ProvisionFile['channels']>[number] => ({
  name,
  type: 'openai-chat',
  baseUrls: ['https://api.openai.com'],
  keys: ['sk-one-aaaaaaaaaaaa']
})

describe.each(testDatabaseClients())('applyProvision rejects bad references on %s', client => {
  let t: ProvisionDb

  beforeAll(async () => {
    t = await provisionDb(client)
  })

  afterAll(async () => {
    await t?.db.destroy()
  })

  beforeEach(async () => {
    await clearTables(t.knex)
    // Something already provisioned, which a rejected file must leave exactly as it is.
    const seeded = await applyProvision(t.knex, t.repos, {
      channels: [channel('existing')],
      groups: [{ name: 'kept', members: [{ channel: 'existing', model: 'gpt-4.1', priority: 0, weight: 1 }] }],
      apiKeys: [{ name: 'old', key: 'ck-laptop-123456789' }]
    })
    expect(seeded.ok).toBe(true)
  })

  /** Applies `file` and expects exactly `errors`, with the database untouched. */
  async function expectRejected(file: ProvisionFile, errors: string[]): Promise<void> {
    const before = await snapshot(t.repos)
    const counts = await rowCounts(t.knex)
    const result = await applyProvision(t.knex, t.repos, file, { source: 'cuttle.yaml' })
    expect(result).toEqual({ ok: false, errors })
    expect(await rowCounts(t.knex)).toEqual(counts)
    expect(await snapshot(t.repos)).toEqual(before)
    for (const line of errors) for (const key of SECRET_KEYS) expect(line).not.toContain(key)
  }

  it('rejects an Antigravity channel without the opt-in, and one that is not gemini', async () => {
    const antigravity = { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: ANTIGRAVITY_TOKEN_URL, endpoint: ANTIGRAVITY_ENDPOINT }
    const gemini = { ...channel('ag'), type: 'gemini' as const, antigravity }
    await expectRejected({ channels: [gemini, { ...channel('ag-chat'), antigravity }] }, [
      `cuttle.yaml: channels[0] "ag": ${ANTIGRAVITY_TERMS} ${ANTIGRAVITY_OPT_IN}`,
      'cuttle.yaml: channels[1] "ag-chat": antigravity applies to gemini channels only'
    ])
    expect((await applyProvision(t.knex, t.repos, { channels: [gemini] }, { allowAntigravity: true })).ok).toBe(true)
  })

  it('rejects a member whose channel is nowhere, before writing the rest of the file', async () => {
    await expectRejected(
      {
        channels: [channel('fresh'), { ...channel('existing'), models: ['changed'] }],
        groups: [
          {
            name: 'smart',
            members: [
              { channel: 'nope', model: 'gpt-4.1', priority: 0, weight: 1 },
              { channel: 'fresh', model: 'gpt-4.1', priority: 0, weight: 1 },
              { channel: 'existing', model: 'gpt-4.1', priority: 0, weight: 1 }
            ]
          }
        ],
        settings: { maxAttempts: 9 }
      },
      ['cuttle.yaml: groups[0] "smart": members[0].channel "nope" is not a channel in this file or the database']
    )
  })

  it('rejects a fallback group that is nowhere, and accepts one in the database', async () => {
    await expectRejected({ groups: [{ name: 'smart', fallback: ['kept', 'cheap'] }, { name: 'other', fallback: ['smart'] }] }, [
      'cuttle.yaml: groups[0] "smart": fallback[1] "cheap" is not a group in this file or the database'
    ])
  })

  it('rejects a fallback cycle, also one closed through a group in the database, naming it', async () => {
    await expectRejected({ groups: [{ name: 'selfish', fallback: ['selfish'] }] }, ['cuttle.yaml: groups[0] "selfish": fallback cycle: selfish → selfish'])
    await expectRejected({ groups: [{ name: 'kept', fallback: ['loop'] }, { name: 'loop', fallback: ['kept'] }] }, [
      'cuttle.yaml: groups[0] "kept": fallback cycle: kept → loop → kept',
      'cuttle.yaml: groups[1] "loop": fallback cycle: loop → kept → loop'
    ])
    // Applied first, then a later file closes the circle through the stored group.
    expect((await applyProvision(t.knex, t.repos, { groups: [{ name: 'next', fallback: ['kept'] }] })).ok).toBe(true)
    await expectRejected({ groups: [{ name: 'kept', fallback: ['next'] }] }, ['cuttle.yaml: groups[0] "kept": fallback cycle: kept → next → kept'])
  })

  it('lists every bad reference at once', async () => {
    await expectRejected(
      {
        groups: [
          { name: 'a', members: [{ channel: 'x', model: 'm', priority: 0, weight: 1 }], fallback: ['y'] },
          { name: 'b', members: [{ channel: 'z', model: 'm', priority: 0, weight: 1 }] }
        ]
      },
      [
        'cuttle.yaml: groups[0] "a": members[0].channel "x" is not a channel in this file or the database',
        'cuttle.yaml: groups[0] "a": fallback[0] "y" is not a group in this file or the database',
        'cuttle.yaml: groups[1] "b": members[0].channel "z" is not a channel in this file or the database'
      ]
    )
  })

  it('rolls back everything when a client key already belongs to another key row', async () => {
    await expectRejected(
      {
        channels: [channel('fresh')],
        groups: [{ name: 'new-group', members: [{ channel: 'fresh', model: 'm', priority: 0, weight: 1 }] }],
        apiKeys: [{ name: 'laptop', key: 'ck-laptop-123456789' }],
        settings: { maxAttempts: 9 }
      },
      ['cuttle.yaml: apiKeys[0] "laptop": key is already used by another API key in the database']
    )
    expect((await t.repos.apiKeys.findByName('old'))?.keyHash).toBe(hashClientKey('ck-laptop-123456789'))
  })
})
