import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { hashClientKey } from '../security/client-key'
import { testDatabaseClients } from '../testing/test-db'
import { applyProvision } from './apply-provision'
import { loadProvisionFile } from './load-provision'
import type { ProvisionFile } from './provision-schema'
import { FULL_YAML, NOW, clearTables, fileDir, provisionDb, rowCounts, snapshot, type FileDir, type ProvisionDb } from './provision-test-kit'

describe.each(testDatabaseClients())('applyProvision on %s', client => {
  let t: ProvisionDb
  let dir: FileDir

  beforeAll(async () => {
    t = await provisionDb(client)
  })

  afterAll(async () => {
    await t?.db.destroy()
  })

  beforeEach(async () => {
    await clearTables(t.knex)
    dir = fileDir()
  })

  afterEach(() => {
    dir.remove()
  })

  function load(name: string, text: string, env: Record<string, string> = {}): ProvisionFile {
    const loaded = loadProvisionFile(dir.write(name, text), env)
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
    return loaded.file
  }

  async function apply(file: ProvisionFile) {
    const result = await applyProvision(t.knex, t.repos, file, { source: 'cuttle.yaml' })
    if (!result.ok) throw new Error(result.errors.join('\n'))
    return result.summary
  }

  it('writes exactly what a full file declares', async () => {
    const summary = await apply(load('cuttle.yaml', FULL_YAML))
    expect(summary).toEqual({
      channels: { created: 2, updated: 0 },
      groups: { created: 2, updated: 0 },
      apiKeys: { created: 2, updated: 0 },
      settings: 2
    })
    expect(await rowCounts(t.knex)).toMatchObject({ channels: 2, groups: 2, group_members: 3, api_keys: 2 })

    const openai = await t.repos.channels.findByName('openai-main')
    const claude = await t.repos.channels.findByName('claude')
    expect(openai).toEqual({
      id: openai?.id,
      name: 'openai-main',
      type: 'openai-chat',
      baseUrls: ['https://api.openai.com'],
      keys: ['sk-one-aaaaaaaaaaaa', 'sk-two-bbbbbbbbbbbb'],
      models: ['gpt-4.1', 'gpt-4.1-mini'],
      enabled: true,
      priority: 0,
      weight: 1,
      headers: {},
      proxy: null,
      timeouts: {},
      modelMap: {},
      autoSync: false,
      azure: null,
      antigravity: null,
      errorRules: [],
      createdAt: NOW,
      updatedAt: NOW
    })
    expect(claude).toMatchObject({
      type: 'anthropic',
      baseUrls: ['https://api.anthropic.com', 'https://backup.example.com/v1'],
      keys: ['sk-ant-cccccccccccc'],
      enabled: false,
      priority: 2,
      weight: 5,
      headers: { 'X-Org': 'acme' },
      proxy: 'http://proxy.local:8080',
      timeouts: { connectMs: 5000 },
      modelMap: { sonnet: 'claude-sonnet-4' },
      autoSync: true
    })

    expect(await t.repos.groups.findByName('smart')).toMatchObject({
      mode: 'weighted',
      enabled: true,
      fallback: ['cheap'],
      firstTokenTimeoutMs: 20000,
      totalTimeoutMs: null,
      maxAttempts: null,
      members: [
        { channelId: openai?.id, model: 'gpt-4.1', priority: 0, weight: 3 },
        { channelId: claude?.id, model: 'claude-sonnet-4', priority: 0, weight: 1 }
      ]
    })
    expect(await t.repos.groups.findByName('cheap')).toMatchObject({
      mode: 'failover',
      fallback: [],
      members: [{ channelId: openai?.id, model: 'gpt-4.1-mini', priority: 0, weight: 1 }]
    })

    const laptop = await t.repos.apiKeys.findByName('laptop')
    expect(laptop).toMatchObject({ keyHash: hashClientKey('ck-laptop-123456789'), keyPrefix: 'ck-lapt…' })
    expect(laptop).toMatchObject({ allowedGroups: ['smart'], limits: {}, expiresAt: null, enabled: true })
    expect(await t.repos.apiKeys.findByName('ci')).toMatchObject({
      keyHash: hashClientKey('ck-ci-00000000000000'),
      allowedGroups: null,
      limits: { rpm: 60 },
      expiresAt: 1_800_000_000_000,
      enabled: false
    })
    expect(await t.repos.settings.getAll()).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 4, captureBodies: true })
  })

  it('is idempotent: a second run updates in place and changes nothing', async () => {
    const file = load('cuttle.yaml', FULL_YAML)
    await apply(file)
    const before = await snapshot(t.repos)
    const counts = await rowCounts(t.knex)
    const second = await apply(file)
    expect(second).toEqual({
      channels: { created: 0, updated: 2 },
      groups: { created: 0, updated: 2 },
      apiKeys: { created: 0, updated: 2 },
      settings: 2
    })
    expect(await rowCounts(t.knex)).toEqual(counts)
    expect(await snapshot(t.repos)).toEqual(before)
  })

  it('applies a changed file: lists replace, unnamed fields and other rows stay', async () => {
    await apply(load('cuttle.yaml', FULL_YAML))
    const openai = await t.repos.channels.findByName('openai-main')
    if (!openai) throw new Error('openai-main missing')
    // Edits an operator made in the UI after the first start.
    await t.repos.channels.update(openai.id, { priority: 7 })
    const laptop = await t.repos.apiKeys.findByName('laptop')
    await t.repos.apiKeys.update(laptop?.id ?? 0, { limits: { rpm: 5 } })
    const manual = await t.repos.channels.create({ ...openai, name: 'manual', keys: ['sk-manual-dddddddd'] })

    const changed = FULL_YAML.replace('models: [gpt-4.1, gpt-4.1-mini]', 'models: [gpt-4.1, gpt-4o]')
      .replace('keys: [sk-one-aaaaaaaaaaaa, sk-two-bbbbbbbbbbbb]', 'keys: [sk-three-eeeeeeeeeeee]')
      .replace('      - { channel: claude, model: claude-sonnet-4 }\n', '')
      .replace('key: ck-laptop-123456789, groups: [smart]', 'key: ck-laptop-rotated-0001')
      .replace('enabled: false }', 'enabled: false, groups: null }')
    const summary = await apply(load('cuttle.yaml', changed))
    expect(summary.channels).toEqual({ created: 0, updated: 2 })

    expect(await t.repos.channels.findByName('openai-main')).toMatchObject({
      models: ['gpt-4.1', 'gpt-4o'],
      keys: ['sk-three-eeeeeeeeeeee'],
      priority: 7
    })
    expect((await t.repos.groups.findByName('smart'))?.members).toEqual([
      { channelId: openai.id, model: 'gpt-4.1', priority: 0, weight: 3 }
    ])
    expect(await t.repos.apiKeys.findByName('laptop')).toMatchObject({
      keyHash: hashClientKey('ck-laptop-rotated-0001'),
      keyPrefix: 'ck-lapt…',
      allowedGroups: ['smart'],
      limits: { rpm: 5 }
    })
    expect((await t.repos.apiKeys.findByName('ci'))?.allowedGroups).toBeNull()
    expect(await t.repos.channels.get(manual.id)).toEqual(manual)
    expect(await rowCounts(t.knex)).toMatchObject({ channels: 3, groups: 2, group_members: 2, api_keys: 2 })
  })

  it('stores a group model pattern, keeps it when a later file leaves it out and clears it with null', async () => {
    await apply(load('cuttle.yaml', 'groups:\n  - { name: claude-all, modelPattern: "^claude-" }\n'))
    expect((await t.repos.groups.findByName('claude-all'))?.modelPattern).toBe('^claude-')
    await apply(load('cuttle.yaml', 'groups:\n  - { name: claude-all, mode: random }\n'))
    expect(await t.repos.groups.findByName('claude-all')).toMatchObject({ mode: 'random', modelPattern: '^claude-' })
    await apply(load('cuttle.yaml', 'groups:\n  - { name: claude-all, modelPattern: null }\n'))
    expect((await t.repos.groups.findByName('claude-all'))?.modelPattern).toBeNull()
  })

  it('resolves members and fallbacks against rows already in the database', async () => {
    await apply(load('cuttle.yaml', FULL_YAML))
    const later = `
groups:
  - name: extra
    members: [{ channel: claude, model: claude-sonnet-4 }]
    fallback: [smart]
`
    const summary = await apply(load('later.yaml', later))
    expect(summary.groups).toEqual({ created: 1, updated: 0 })
    const claude = await t.repos.channels.findByName('claude')
    expect(await t.repos.groups.findByName('extra')).toMatchObject({
      fallback: ['smart'],
      members: [{ channelId: claude?.id, model: 'claude-sonnet-4' }]
    })
  })

  it('applies the JSON form of the same file to the same state', async () => {
    const yamlFile = load('cuttle.yaml', FULL_YAML)
    const jsonFile = load('cuttle.json', JSON.stringify(yamlFile, null, 2))
    expect(jsonFile).toEqual(yamlFile)
    await apply(jsonFile)
    expect(await rowCounts(t.knex)).toMatchObject({ channels: 2, groups: 2, group_members: 3, api_keys: 2 })
    expect((await t.repos.channels.findByName('claude'))?.keys).toEqual(['sk-ant-cccccccccccc'])
  })

  it('takes ${VAR} values from the environment', async () => {
    const text = `
channels:
  - name: env-channel
    type: openai-chat
    baseUrls: ["https://\${UPSTREAM_HOST}/v1"]
    keys: ["\${OPENAI_KEY}"]
    headers: { X-Literal: "$\${NOT_A_VAR}" }
apiKeys:
  - { name: env-key, key: "\${CLIENT_KEY}" }
`
    const env = { UPSTREAM_HOST: 'llm.internal', OPENAI_KEY: 'sk-from-env-ffffffff', CLIENT_KEY: 'ck-from-env-0123456789' }
    await apply(load('cuttle.yaml', text, env))
    expect(await t.repos.channels.findByName('env-channel')).toMatchObject({
      baseUrls: ['https://llm.internal/v1'],
      keys: ['sk-from-env-ffffffff'],
      headers: { 'X-Literal': '${NOT_A_VAR}' }
    })
    expect((await t.repos.apiKeys.findByName('env-key'))?.keyHash).toBe(hashClientKey('ck-from-env-0123456789'))
  })
})
