import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { SettingsSchema } from '@shared/dto/settings'
import { PROVIDER_KEY, startModelSyncKit, type ModelSyncKit } from '../../testing/model-sync-kit'
import { testDatabaseClients } from '../../testing/test-db'

describe.each(testDatabaseClients())('model sync through the admin API on %s', client => {
  let kit: ModelSyncKit
  beforeAll(async () => {
    kit = await startModelSyncKit(client)
  })
  afterAll(async () => {
    await kit?.close()
  })

  it('previews without apply: every listed model, the new ones, the missing ones; nothing is written', async () => {
    const channel = await kit.createChannel({ name: 'preview', models: ['gpt-a', 'gpt-old'] })
    kit.listed = ['gpt-a', 'gpt-new', 'claude-x']
    const seenBefore = kit.upstream.requests.length
    expect(await kit.sync(channel.id, false)).toEqual({
      models: ['gpt-a', 'gpt-new', 'claude-x'],
      added: ['gpt-new', 'claude-x'],
      missing: ['gpt-old'],
      applied: false,
      groupsChanged: []
    })
    const asked = kit.upstream.requests.slice(seenBefore)
    expect(asked.map(r => r.path)).toEqual(['/v1/models'])
    expect(asked[0]?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
    const stored = await kit.admin('GET', `/channels/${channel.id}`, undefined, ChannelDtoSchema)
    expect(stored.models).toEqual(['gpt-a', 'gpt-old'])
    // An empty body is a preview too.
    const reply = await kit.cuttle.admin('POST', `/channels/${channel.id}/models/sync`)
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ applied: false, added: ['gpt-new', 'claude-x'] })
  })

  it('with apply adds the new models (keeping the missing ones) and the relay serves them at once', async () => {
    const channel = await kit.createChannel({ name: 'apply', models: ['gpt-kept', 'gpt-gone'] })
    const key = await kit.clientKey()
    expect((await kit.chat(key, 'gpt-fresh')).status).toBe(404)

    kit.listed = ['gpt-kept', 'gpt-fresh', 'gpt-fresh-mini']
    expect(await kit.sync(channel.id, true)).toEqual({
      models: ['gpt-kept', 'gpt-fresh', 'gpt-fresh-mini'],
      added: ['gpt-fresh', 'gpt-fresh-mini'],
      missing: ['gpt-gone'],
      applied: true,
      groupsChanged: []
    })
    const stored = await kit.admin('GET', `/channels/${channel.id}`, undefined, ChannelDtoSchema)
    expect(stored.models).toEqual(['gpt-kept', 'gpt-gone', 'gpt-fresh', 'gpt-fresh-mini'])

    const answer = await kit.chat(key, 'gpt-fresh')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ choices: [{ message: { content: 'Hello world' } }] })
    expect(kit.upstream.requests.at(-1)?.path).toBe('/v1/chat/completions')
    expect(kit.upstream.requests.at(-1)?.body.model).toBe('gpt-fresh')

    // A second apply finds nothing new and changes nothing.
    const again = await kit.sync(channel.id, true)
    expect(again).toEqual({ models: kit.listed, added: [], missing: ['gpt-gone'], applied: true, groupsChanged: [] })
    expect((await kit.admin('GET', `/channels/${channel.id}`, undefined, ChannelDtoSchema)).models).toEqual(stored.models)
  })

  it('answers 404 for a missing channel and 502 naming the channel and status, never the key, when the provider fails', async () => {
    expect(await kit.adminError('POST', '/channels/999999/models/sync', { apply: true }, 404)).toEqual({ code: 'not_found', message: 'Channel 999999 does not exist.' })
    const channel = await kit.createChannel({ name: 'refused', models: ['m'] })
    kit.listFailure = { status: 401, body: { error: { message: `Incorrect API key provided: ${PROVIDER_KEY}`, type: 'invalid_request_error' } } }
    try {
      const error = await kit.adminError('POST', `/channels/${channel.id}/models/sync`, { apply: true }, 502)
      expect(error).toEqual({
        code: 'upstream_failed',
        message: `Channel "refused": listing models failed: HTTP 401 from GET ${kit.upstream.url}/v1/models: Incorrect API key provided: [redacted]`
      })
    } finally {
      kit.listFailure = null
    }
    expect((await kit.adminError('POST', `/channels/${channel.id}/models/sync`, { apply: 'yes' }, 400)).message).toMatch(/^Invalid body: apply: /)
    expect((await kit.admin('GET', `/channels/${channel.id}`, undefined, ChannelDtoSchema)).models).toEqual(['m'])
  })

  it('syncs and applies channels with autoSync on the schedule set by modelSyncIntervalHours', async () => {
    const settings = await kit.admin('GET', '/settings', undefined, SettingsSchema)
    expect([settings.modelSyncIntervalHours, settings.autoGroups]).toEqual([24, false])
    kit.listed = ['scheduled-a', 'scheduled-b']
    const auto = await kit.createChannel({ name: 'auto', models: ['scheduled-a'], autoSync: true })
    const manual = await kit.createChannel({ name: 'manual', models: [], autoSync: false })
    // 0.0002 h = 720 ms: the next once-a-second check starts a round.
    await kit.admin('PATCH', '/settings', { modelSyncIntervalHours: 0.0002 }, SettingsSchema)
    const started = Date.now()
    let models: string[] = []
    while (Date.now() - started < 2_500) {
      models = (await kit.admin('GET', `/channels/${auto.id}`, undefined, ChannelDtoSchema)).models
      if (models.length === 2) break
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    await kit.admin('PATCH', '/settings', { modelSyncIntervalHours: 0 }, SettingsSchema)
    expect(models).toEqual(['scheduled-a', 'scheduled-b'])
    expect((await kit.admin('GET', `/channels/${manual.id}`, undefined, ChannelDtoSchema)).models).toEqual([])
    const key = await kit.clientKey()
    expect((await kit.chat(key, 'scheduled-b')).status).toBe(200)
  })
})
