import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiKeyCreatedSchema, ApiKeyDtoSchema } from '@shared/dto/api-key'
import { ChannelDtoSchema, type ChannelDto } from '@shared/dto/channel'
import { DeletedSchema } from '@shared/dto/common'
import { GroupDtoSchema, type GroupDto } from '@shared/dto/group'
import { adminCall, adminErrorOf, type AdminReply } from '../../testing/admin-client'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let token: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db)
  token = await cuttle.login()
})

afterAll(async () => {
  await cuttle.stop()
  await db.destroy()
})

type Reply = AdminReply

const call = (method: string, path: string, body?: unknown, raw?: string): Promise<Reply> =>
  adminCall(cuttle.url, method, path, { token, body, raw })
const errorOf = adminErrorOf

function ok<T>(reply: Reply, schema: z.ZodType<T>, status = 200): T {
  expect(reply.status, reply.text).toBe(status)
  return schema.parse(reply.json)
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const fingerprint = (key: string): string => sha256(key).slice(0, 12)
const channelRows = async (): Promise<number> => Number((await cuttle.core.db('channels').count({ n: '*' }).first())?.n)

const KEY_A = 'sk-live-aaaaaaaaaaaaaaaa1111'
const KEY_B = 'sk-live-bbbbbbbbbbbbbbbb2222'
const KEY_C = 'sk-live-cccccccccccccccc3333'
const HEADER_SECRET = 'Bearer hdr-secret-value-987654'

async function createChannel(name: string, extra: Record<string, unknown> = {}): Promise<ChannelDto> {
  return ok(await call('POST', '/channels', { name, type: 'openai-chat', baseUrls: ['https://api.example.com/v1'], ...extra }), ChannelDtoSchema, 201)
}

describe('channels', () => {
  let channel: ChannelDto
  let createdText: string

  beforeAll(async () => {
    const reply = await call('POST', '/channels', {
      name: 'alpha',
      type: 'openai-chat',
      baseUrls: ['https://api.example.com/v1'],
      keys: [KEY_A, KEY_B, KEY_A],
      headers: { Authorization: HEADER_SECRET, 'X-Org': 'acme' },
      proxy: 'http://user:proxy-pass-123@proxy.local:8080'
    })
    createdText = reply.text
    channel = ok(reply, ChannelDtoSchema, 201)
  })

  it('create → 201 with masked keys (deduplicated), defaults applied and no secret in the response', () => {
    expect(channel).toMatchObject({ name: 'alpha', enabled: true, priority: 0, weight: 1, models: [], modelMap: {}, autoSync: false })
    expect(channel.keys.map(k => k.fingerprint)).toEqual([fingerprint(KEY_A), fingerprint(KEY_B)])
    for (const [k, masked] of [[KEY_A, channel.keys[0]?.masked], [KEY_B, channel.keys[1]?.masked]] as const) {
      expect(masked).toMatch(new RegExp(`${k.slice(-4)}$`))
      expect(masked?.length).toBeLessThan(12)
    }
    for (const secret of [KEY_A, KEY_B, 'hdr-secret-value', 'proxy-pass-123']) expect(createdText).not.toContain(secret)
    expect(channel.headers['X-Org']).toBe('acme')
    expect(channel.headers.Authorization).not.toBe(HEADER_SECRET)
  })

  it('stores no plaintext key in the keys column, but the repository opens them', async () => {
    const row = z.object({ keys: z.string() }).parse(await cuttle.core.db('channels').where({ id: channel.id }).first())
    expect(row.keys).not.toContain(KEY_A)
    expect(row.keys).not.toContain(KEY_B)
    expect(row.keys).not.toContain('sk-live')
    expect((await cuttle.core.repos.channels.get(channel.id))?.keys).toEqual([KEY_A, KEY_B])
  })

  it('list and get return the same masked channel', async () => {
    const list = await call('GET', '/channels')
    expect(ok(list, z.array(ChannelDtoSchema))).toEqual([channel])
    const one = await call('GET', `/channels/${channel.id}`)
    expect(ok(one, ChannelDtoSchema)).toEqual(channel)
    for (const text of [list.text, one.text]) for (const secret of [KEY_A, KEY_B, 'hdr-secret-value']) expect(text).not.toContain(secret)
  })

  it('PATCH keeps a key by fingerprint, adds a new string key and drops the rest', async () => {
    const reply = await call('PATCH', `/channels/${channel.id}`, { keys: [{ fingerprint: fingerprint(KEY_B) }, KEY_C] })
    const updated = ok(reply, ChannelDtoSchema)
    expect(updated.keys.map(k => k.fingerprint)).toEqual([fingerprint(KEY_B), fingerprint(KEY_C)])
    expect(reply.text).not.toContain(KEY_C)
    expect(updated.name).toBe('alpha')
    expect((await cuttle.core.repos.channels.get(channel.id))?.keys).toEqual([KEY_B, KEY_C])
  })

  it('PATCH with an unknown fingerprint → 400 naming keys.0.fingerprint and keys stay', async () => {
    const error = errorOf(await call('PATCH', `/channels/${channel.id}`, { keys: [{ fingerprint: 'ffffffffffff' }] }), 400)
    expect(error.code).toBe('validation_failed')
    expect(error.fields?.map(f => f.path)).toEqual(['keys.0.fingerprint'])
    expect(error.message).toContain('keys.0.fingerprint')
    expect((await cuttle.core.repos.channels.get(channel.id))?.keys).toEqual([KEY_B, KEY_C])
  })

  it('sending back a masked Authorization header keeps the stored value; a new value replaces it', async () => {
    const shown = ok(await call('GET', `/channels/${channel.id}`), ChannelDtoSchema)
    const masked = shown.headers.Authorization
    expect(masked).toBeDefined()
    const updated = ok(await call('PATCH', `/channels/${channel.id}`, { headers: { Authorization: masked, 'X-Org': 'acme-2' } }), ChannelDtoSchema)
    expect(updated.headers).toEqual({ Authorization: masked, 'X-Org': 'acme-2' })
    expect((await cuttle.core.repos.channels.get(channel.id))?.headers).toEqual({ Authorization: HEADER_SECRET, 'X-Org': 'acme-2' })
    ok(await call('PATCH', `/channels/${channel.id}`, { headers: { Authorization: 'Bearer replaced-header-0000' } }), ChannelDtoSchema)
    expect((await cuttle.core.repos.channels.get(channel.id))?.headers).toEqual({ Authorization: 'Bearer replaced-header-0000' })
  })

  it('sending back the masked proxy keeps the stored proxy password', async () => {
    const shown = ok(await call('GET', `/channels/${channel.id}`), ChannelDtoSchema)
    expect(shown.proxy).toContain('****')
    ok(await call('PATCH', `/channels/${channel.id}`, { proxy: shown.proxy }), ChannelDtoSchema)
    expect((await cuttle.core.repos.channels.get(channel.id))?.proxy).toBe('http://user:proxy-pass-123@proxy.local:8080')
    ok(await call('PATCH', `/channels/${channel.id}`, { proxy: 'http://user:other-pass@proxy.local:9090' }), ChannelDtoSchema)
    expect((await cuttle.core.repos.channels.get(channel.id))?.proxy).toBe('http://user:other-pass@proxy.local:9090')
    expect(ok(await call('PATCH', `/channels/${channel.id}`, { proxy: null }), ChannelDtoSchema).proxy).toBeNull()
  })

  it('a duplicate name → 409 conflict, on create and on rename', async () => {
    const dup = errorOf(await call('POST', '/channels', { name: 'alpha', type: 'openai-chat', baseUrls: ['https://x.example.com'] }), 409)
    expect(dup).toMatchObject({ code: 'conflict', message: 'The name "alpha" is already taken.' })
    const other = await createChannel('beta')
    expect(errorOf(await call('PATCH', `/channels/${other.id}`, { name: 'alpha' }), 409).code).toBe('conflict')
    ok(await call('DELETE', `/channels/${other.id}`), DeletedSchema)
  })

  it.each(['GET', 'PATCH', 'DELETE'])('%s an unknown id → 404 not_found', async method => {
    const error = errorOf(await call(method, '/channels/99999', method === 'PATCH' ? { enabled: false } : undefined), 404)
    expect(error).toMatchObject({ code: 'not_found', message: 'Channel 99999 does not exist.' })
  })

  it('delete → {deleted:true}, then 404', async () => {
    const doomed = await createChannel('doomed', { keys: [KEY_C] })
    expect(ok(await call('DELETE', `/channels/${doomed.id}`), DeletedSchema)).toEqual({ deleted: true })
    expect(errorOf(await call('GET', `/channels/${doomed.id}`), 404).code).toBe('not_found')
    expect(errorOf(await call('DELETE', `/channels/${doomed.id}`), 404).code).toBe('not_found')
  })
})

describe('validation', () => {
  it('several bad fields → one 400 listing each path, and nothing is written', async () => {
    const before = await channelRows()
    const error = errorOf(await call('POST', '/channels', { name: 'bad', type: 'nope', baseUrls: ['ftp://x'], priority: -1, extra: 1 }), 400)
    expect(error.code).toBe('validation_failed')
    const paths = error.fields?.map(f => f.path) ?? []
    expect(paths).toEqual(expect.arrayContaining(['type', 'baseUrls.0', 'priority']))
    expect(error.fields?.find(f => f.message.includes('extra'))).toBeDefined()
    for (const path of ['type', 'baseUrls.0', 'priority', 'extra']) expect(error.message).toContain(path)
    expect(error.message).toContain('must be an http:// or https:// URL')
    expect(await channelRows()).toBe(before)
  })

  it('a header the relay owns (Host, Content-Length) cannot be set on a channel', async () => {
    const body = { name: 'hdr', type: 'openai-chat', baseUrls: ['https://api.example.com'], headers: { Host: 'evil', 'content-length': '1', 'x-ok': 'fine' } }
    const error = errorOf(await call('POST', '/channels', body), 400)
    expect(error.fields?.map(f => f.path).sort()).toEqual(['headers.Host', 'headers.content-length'])
    expect(error.message).toContain('headers.Host: name is set by the relay and cannot be overridden')
  })

  it('missing required fields are each named', async () => {
    const error = errorOf(await call('POST', '/channels', {}), 400)
    expect(error.fields?.map(f => f.path).sort()).toEqual(['baseUrls', 'name', 'type'])
  })

  it.each([
    ['a body that is not JSON', '{"name": "x", '],
    ['a truncated body', '{'],
    ['a bare word', 'channels']
  ])('%s → 400 invalid_json and nothing is written', async (_label, raw) => {
    const before = await channelRows()
    const error = errorOf(await call('POST', '/channels', undefined, raw), 400)
    expect(error.code).toBe('invalid_json')
    expect(error.message).toMatch(/^Request body is not valid JSON/)
    expect(await channelRows()).toBe(before)
  })

  it.each(['GET', 'PATCH', 'DELETE'])('%s /channels/abc → 400 naming id', async method => {
    const before = await channelRows()
    const error = errorOf(await call(method, '/channels/abc', method === 'PATCH' ? { enabled: false } : undefined), 400)
    expect(error.code).toBe('validation_failed')
    expect(error.fields?.map(f => f.path)).toEqual(['id'])
    expect(await channelRows()).toBe(before)
  })

  it('a valid PATCH with one bad field changes nothing', async () => {
    const target = await createChannel('untouched', { priority: 7 })
    errorOf(await call('PATCH', `/channels/${target.id}`, { name: 'renamed', weight: 0 }), 400)
    expect(await cuttle.core.repos.channels.get(target.id)).toMatchObject({ name: 'untouched', priority: 7, weight: 1 })
  })
})

describe('groups', () => {
  let a: ChannelDto
  let b: ChannelDto
  let group: GroupDto

  beforeAll(async () => {
    a = await createChannel('g-a')
    b = await createChannel('g-b')
  })

  it('create with an unknown channel → 400 naming the member, nothing written', async () => {
    const error = errorOf(await call('POST', '/groups', { name: 'ghost', members: [{ channelId: a.id, model: 'm' }, { channelId: 99999, model: 'm' }] }), 400)
    expect(error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'members.1.channelId' }] })
    expect(error.message).toContain('members.1.channelId')
    expect(await cuttle.core.repos.groups.findByName('ghost')).toBeNull()
  })

  it('create → 201 with members in order, with channel names and defaults', async () => {
    group = ok(await call('POST', '/groups', { name: 'smart', members: [{ channelId: b.id, model: 'up-b' }, { channelId: a.id, model: 'up-a', priority: 2, weight: 5 }] }), GroupDtoSchema, 201)
    expect(group).toMatchObject({ name: 'smart', mode: 'failover', enabled: true, fallback: [], maxAttempts: null })
    expect(group.members).toEqual([
      { channelId: b.id, channelName: 'g-b', model: 'up-b', priority: 0, weight: 1 },
      { channelId: a.id, channelName: 'g-a', model: 'up-a', priority: 2, weight: 5 }
    ])
    expect(ok(await call('GET', `/groups/${group.id}`), GroupDtoSchema)).toEqual(group)
    expect(ok(await call('GET', '/groups'), z.array(GroupDtoSchema))).toEqual([group])
  })

  it('a duplicate member (same channel and model) → 400 naming it, not a name conflict', async () => {
    const error = errorOf(await call('POST', '/groups', { name: 'twice', members: [{ channelId: a.id, model: 'm' }, { channelId: a.id, model: 'm' }] }), 400)
    expect(error.fields?.map(f => f.path)).toEqual(['members.1'])
  })

  it('PATCH members replaces the list; a bad member changes nothing', async () => {
    const updated = ok(await call('PATCH', `/groups/${group.id}`, { members: [{ channelId: a.id, model: 'only-a' }] }), GroupDtoSchema)
    expect(updated.members).toEqual([{ channelId: a.id, channelName: 'g-a', model: 'only-a', priority: 0, weight: 1 }])
    expect(updated.name).toBe('smart')
    const error = errorOf(await call('PATCH', `/groups/${group.id}`, { members: [{ channelId: 99999, model: 'x' }] }), 400)
    expect(error.fields?.map(f => f.path)).toEqual(['members.0.channelId'])
    expect((await cuttle.core.repos.groups.get(group.id))?.members.map(m => m.model)).toEqual(['only-a'])
  })

  it('deleting a channel removes its memberships', async () => {
    const c = await createChannel('g-c')
    ok(await call('PATCH', `/groups/${group.id}`, { members: [{ channelId: c.id, model: 'x' }, { channelId: a.id, model: 'y' }] }), GroupDtoSchema)
    ok(await call('DELETE', `/channels/${c.id}`), DeletedSchema)
    expect(ok(await call('GET', `/groups/${group.id}`), GroupDtoSchema).members.map(m => m.channelName)).toEqual(['g-a'])
  })

  it('delete → {deleted:true}, then 404', async () => {
    expect(ok(await call('DELETE', `/groups/${group.id}`), DeletedSchema)).toEqual({ deleted: true })
    expect(errorOf(await call('GET', `/groups/${group.id}`), 404).code).toBe('not_found')
    expect(errorOf(await call('PATCH', `/groups/${group.id}`, { enabled: false }), 404).code).toBe('not_found')
  })
})

describe('api keys', () => {
  const CHOSEN = 'my-own-client-key-0001'

  it('create returns the key once; list and get never show the key or its hash', async () => {
    const reply = await call('POST', '/api-keys', { name: 'laptop' })
    const created = ok(reply, ApiKeyCreatedSchema, 201)
    expect(created.key).toMatch(/^ck-[A-Za-z0-9_-]{40}$/)
    expect(created.key.startsWith(created.prefix.replace(/…$/, ''))).toBe(true)
    expect(created).toMatchObject({ name: 'laptop', allowedGroups: null, limits: {}, expiresAt: null, enabled: true })
    const list = await call('GET', '/api-keys')
    const one = await call('GET', `/api-keys/${created.id}`)
    const { key: _key, ...dto } = created
    expect(ok(one, ApiKeyDtoSchema)).toEqual(dto)
    expect(ok(list, z.array(ApiKeyDtoSchema))).toContainEqual(dto)
    for (const text of [list.text, one.text]) {
      expect(text).not.toContain(created.key)
      expect(text).not.toContain(sha256(created.key))
      expect(text).not.toContain('"key"')
    }
  })

  it('a chosen key of 16+ characters is accepted and works on the relay', async () => {
    const created = ok(await call('POST', '/api-keys', { name: 'chosen', key: CHOSEN }), ApiKeyCreatedSchema, 201)
    expect(created.key).toBe(CHOSEN)
    const res = await fetch(`${cuttle.url}/v1/models`, { headers: { authorization: `Bearer ${CHOSEN}` } })
    expect(res.status).toBe(200)
  })

  it('a chosen key that is too short → 400 naming key', async () => {
    const error = errorOf(await call('POST', '/api-keys', { name: 'short', key: 'short-key' }), 400)
    expect(error.fields).toEqual([{ path: 'key', message: 'must be at least 16 characters' }])
  })

  it('the same chosen key twice → 409 without naming the other entry', async () => {
    const error = errorOf(await call('POST', '/api-keys', { name: 'copycat', key: CHOSEN }), 409)
    expect(error.code).toBe('conflict')
    expect(error.message).not.toContain('chosen')
    expect(error.message).not.toContain(CHOSEN)
    expect((await cuttle.core.repos.apiKeys.list()).map(k => k.name)).not.toContain('copycat')
  })

  it('a duplicate name → 409 naming the name', async () => {
    expect(errorOf(await call('POST', '/api-keys', { name: 'laptop' }), 409).message).toBe('The name "laptop" is already taken.')
  })

  it('PATCH allowedGroups is returned and persisted; the key itself cannot change', async () => {
    const created = ok(await call('POST', '/api-keys', { name: 'scoped' }), ApiKeyCreatedSchema, 201)
    const updated = ok(await call('PATCH', `/api-keys/${created.id}`, { allowedGroups: ['smart', 'cheap'] }), ApiKeyDtoSchema)
    expect(updated).toMatchObject({ name: 'scoped', allowedGroups: ['smart', 'cheap'], enabled: true })
    expect(ok(await call('GET', `/api-keys/${created.id}`), ApiKeyDtoSchema).allowedGroups).toEqual(['smart', 'cheap'])
    const error = errorOf(await call('PATCH', `/api-keys/${created.id}`, { key: 'another-chosen-key-0002' }), 400)
    expect(error.message).toContain('key')
  })

  it('delete → {deleted:true}, then 404 and the key stops working', async () => {
    const created = ok(await call('POST', '/api-keys', { name: 'temp' }), ApiKeyCreatedSchema, 201)
    expect(ok(await call('DELETE', `/api-keys/${created.id}`), DeletedSchema)).toEqual({ deleted: true })
    expect(errorOf(await call('GET', `/api-keys/${created.id}`), 404).code).toBe('not_found')
    expect(errorOf(await call('DELETE', `/api-keys/${created.id}`), 404).code).toBe('not_found')
    const res = await fetch(`${cuttle.url}/v1/models`, { headers: { authorization: `Bearer ${created.key}` } })
    expect(res.status).toBe(401)
  })
})
