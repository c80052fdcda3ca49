import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { GroupDtoSchema, type GroupDto } from '@shared/dto/group'
import { SettingsSchema } from '@shared/dto/settings'
import { startModelSyncKit, type ModelSyncKit } from '../../testing/model-sync-kit'
import { testDatabaseClients } from '../../testing/test-db'

describe.each(testDatabaseClients())('group name rules through the admin API on %s', client => {
  let kit: ModelSyncKit
  beforeAll(async () => {
    kit = await startModelSyncKit(client)
  })
  afterAll(async () => {
    await kit?.close()
  })

  const groupNamed = async (name: string): Promise<GroupDto | undefined> =>
    (await kit.admin('GET', '/groups', undefined, z.array(GroupDtoSchema))).find(g => g.name === name)

  it('stores, shows and clears a group pattern; an invalid or too long one is a 400 naming the field', async () => {
    const created = await kit.admin('POST', '/groups', { name: 'patterned', modelPattern: '^gpt-(4|5)' }, GroupDtoSchema, 201)
    expect(created.modelPattern).toBe('^gpt-(4|5)')
    expect((await kit.admin('POST', '/groups', { name: 'plain' }, GroupDtoSchema, 201)).modelPattern).toBeNull()

    const invalid = await kit.adminError('POST', '/groups', { name: 'bad', modelPattern: 'gpt-(' }, 400)
    expect(invalid.code).toBe('validation_failed')
    expect(invalid.fields).toEqual([{ path: 'modelPattern', message: 'is not a valid regular expression: Invalid regular expression: /gpt-(/: Unterminated group' }])
    const long = await kit.adminError('PATCH', `/groups/${created.id}`, { modelPattern: 'a'.repeat(501) }, 400)
    expect(long.fields).toEqual([{ path: 'modelPattern', message: 'must be at most 500 characters' }])
    expect((await groupNamed('bad'))).toBeUndefined()

    const longest = `^${'a'.repeat(499)}`
    expect((await kit.admin('PATCH', `/groups/${created.id}`, { modelPattern: longest }, GroupDtoSchema)).modelPattern).toBe(longest)
    expect((await kit.admin('PATCH', `/groups/${created.id}`, { modelPattern: null }, GroupDtoSchema)).modelPattern).toBeNull()
  })

  it('a sync that applies new models adds them to the groups whose pattern matches, never twice, keeping the members they had', async () => {
    const channel = await kit.createChannel({ name: 'rules', models: ['gpt-4'] })
    const other = await kit.createChannel({ name: 'rules-other', models: ['gpt-9'] })
    const family = await kit.admin(
      'POST',
      '/groups',
      {
        name: 'gpt-family',
        modelPattern: '^gpt-',
        members: [
          { channelId: channel.id, model: 'gpt-4', priority: 2, weight: 7 },
          // Already there before the channel lists it: must not be added again.
          { channelId: channel.id, model: 'gpt-6', priority: 1, weight: 3 },
          { channelId: other.id, model: 'gpt-9' }
        ]
      },
      GroupDtoSchema,
      201
    )
    await kit.admin('POST', '/groups', { name: 'minis', modelPattern: 'mini$' }, GroupDtoSchema, 201)
    await kit.admin('POST', '/groups', { name: 'unrelated', modelPattern: '^claude-' }, GroupDtoSchema, 201)

    kit.listed = ['gpt-4', 'gpt-5', 'gpt-6', 'o4-mini', 'gpt-5-mini']
    const preview = await kit.sync(channel.id, false)
    const result = await kit.sync(channel.id, true)
    expect(result.added).toEqual(['gpt-5', 'gpt-6', 'o4-mini', 'gpt-5-mini'])
    const changes = [
      { name: 'gpt-family', created: false, models: ['gpt-5', 'gpt-5-mini'] },
      { name: 'minis', created: false, models: ['o4-mini', 'gpt-5-mini'] }
    ]
    expect(result.groupsChanged).toEqual(changes)
    expect(preview.groupsChanged).toEqual(changes)

    const after = await groupNamed('gpt-family')
    expect(after?.members.map(m => [m.channelName, m.model, m.priority, m.weight])).toEqual([
      ['rules', 'gpt-4', 2, 7],
      ['rules', 'gpt-6', 1, 3],
      ['rules-other', 'gpt-9', 0, 1],
      ['rules', 'gpt-5', 0, 1],
      ['rules', 'gpt-5-mini', 0, 1]
    ])
    expect(after?.updatedAt).toBeGreaterThanOrEqual(family.updatedAt)
    expect((await groupNamed('minis'))?.members.map(m => m.model)).toEqual(['o4-mini', 'gpt-5-mini'])
    expect((await groupNamed('unrelated'))?.members).toEqual([])

    // The group serves the new member at once; a second sync adds nothing anywhere.
    const key = await kit.clientKey()
    expect((await kit.chat(key, 'minis')).status).toBe(200)
    expect(kit.upstream.requests.at(-1)?.body.model).toBe('o4-mini')
    expect((await kit.sync(channel.id, true)).groupsChanged).toEqual([])
    expect((await groupNamed('gpt-family'))?.members).toHaveLength(5)
  })

  it('two syncs of one channel at once add each model, and each member, once', async () => {
    const channel = await kit.createChannel({ name: 'racing', models: [] })
    await kit.admin('POST', '/groups', { name: 'race-group', modelPattern: '^race-' }, GroupDtoSchema, 201)
    kit.listed = ['race-a', 'race-b']
    const results = await Promise.all([kit.sync(channel.id, true), kit.sync(channel.id, true)])
    expect(results.map(r => r.added).sort((x, y) => y.length - x.length)).toEqual([['race-a', 'race-b'], []])
    expect((await kit.admin('GET', `/channels/${channel.id}`, undefined, ChannelDtoSchema)).models).toEqual(['race-a', 'race-b'])
    expect((await groupNamed('race-group'))?.members.map(m => m.model)).toEqual(['race-a', 'race-b'])
  })

  it('with autoGroups, a new model no group is named after gets a group listing every channel with it; later channels join it', async () => {
    await kit.admin('PATCH', '/settings', { autoGroups: true }, SettingsSchema)
    try {
      const first = await kit.createChannel({ name: 'auto-first', models: [] })
      const holder = await kit.createChannel({ name: 'auto-holder', models: ['shared-model'], priority: 3, weight: 4 })
      await kit.admin('POST', '/groups', { name: 'taken-name' }, GroupDtoSchema, 201)
      kit.listed = ['shared-model', 'taken-name']
      const result = await kit.sync(first.id, true)
      expect(result.groupsChanged).toEqual([{ name: 'shared-model', created: true, models: ['shared-model'] }])
      const auto = await groupNamed('shared-model')
      expect(auto).toMatchObject({ mode: 'failover', enabled: true, modelPattern: '^shared-model$' })
      expect(auto?.members.map(m => [m.channelId, m.model, m.priority, m.weight])).toEqual([
        [first.id, 'shared-model', 0, 1],
        [holder.id, 'shared-model', 3, 4]
      ])
      expect((await groupNamed('taken-name'))?.members).toEqual([])

      const later = await kit.createChannel({ name: 'auto-later', models: [] })
      kit.listed = ['shared-model']
      expect((await kit.sync(later.id, true)).groupsChanged).toEqual([{ name: 'shared-model', created: false, models: ['shared-model'] }])
      expect((await groupNamed('shared-model'))?.members.map(m => m.channelId)).toEqual([first.id, holder.id, later.id])

      // It can be switched off like any group: the model is then refused.
      const key = await kit.clientKey()
      expect((await kit.chat(key, 'shared-model')).status).toBe(200)
      await kit.admin('PATCH', `/groups/${auto?.id}`, { enabled: false }, GroupDtoSchema)
      expect((await kit.chat(key, 'shared-model')).status).toBe(403)
    } finally {
      await kit.admin('PATCH', '/settings', { autoGroups: false }, SettingsSchema)
    }
  })
})
