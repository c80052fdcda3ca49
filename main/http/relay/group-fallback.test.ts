import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelDto } from '@shared/dto/channel'
import type { GroupDto } from '@shared/dto/group'
import { postChat } from '../../testing/chat-traffic'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let upstreams: FakeOpenAiUpstream[] = []
let channels: ChannelDto[] = []
let primary: GroupDto
let clientKey: string

async function chat(model = 'primary'): Promise<{ status: number; channel: string | null; attempts: string | null; requestId: string | null }> {
  const res = await postChat(cuttle.url, clientKey, model)
  await res.arrayBuffer()
  return { status: res.status, channel: res.headers.get('x-cuttle-channel'), attempts: res.headers.get('x-cuttle-attempts'), requestId: res.headers.get('x-cuttle-request-id') }
}

const failAll = (status = 500): void => {
  for (const u of upstreams) u.behave(() => ({ kind: 'status', status, body: { error: { message: 'down' } } }))
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstreams = await Promise.all([0, 1, 2, 3, 4].map(() => startFakeOpenAi()))
  cuttle = await startTestCore(db)
  channels = []
  for (const [i, u] of upstreams.entries()) {
    channels.push((await cuttle.admin('POST', '/channels', { name: `ch${i}`, type: 'openai-chat', baseUrls: [u.url], keys: [`sk-fallback-${i}-000000000`] })).body as ChannelDto)
  }
  const group = async (name: string, members: number[], fallback: string[] = [], maxAttempts: number | null = null): Promise<GroupDto> => {
    const res = await cuttle.admin('POST', '/groups', { name, mode: 'failover', fallback, maxAttempts, members: members.map(i => ({ channelId: channels[i]?.id, model: `m${i}` })) })
    expect(res.status).toBe(201)
    return res.body as GroupDto
  }
  // primary → backup (→ last) → side: depth-first, so `last` comes before `side`.
  await group('last', [3])
  await group('backup', [2], ['last'])
  await group('side', [4])
  primary = await group('primary', [0, 1], ['backup', 'side'], 10)
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'k', allowedGroups: ['primary'] })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await Promise.all(upstreams.map(u => u.close()))
  await db.destroy()
})

beforeEach(async () => {
  for (const c of channels) await cuttle.admin('POST', `/channels/${c.id}/health/reset`)
  for (const u of upstreams) {
    u.requests.length = 0
    u.behave(() => ({ kind: 'reply' }))
  }
})

describe('group fallback chains', () => {
  it('goes on to the fallback group when every member of the group failed, and logs which group each attempt was for', async () => {
    upstreams[0]?.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'down' } } }))
    upstreams[1]?.behave(() => ({ kind: 'status', status: 503, body: { error: { message: 'busy' } } }))
    const result = await chat()
    expect([result.status, result.channel, result.attempts]).toEqual([200, 'ch2', '3'])
    expect(upstreams[2]?.requests[0]?.body.model).toBe('m2')
    await cuttle.core.flusher.flush()
    const log = (await cuttle.core.repos.requestLogs.list(10)).find(l => l.requestId === result.requestId)
    expect(log?.attempts.map(a => [a.channelName, a.group, a.outcome])).toEqual([
      ['ch0', 'primary', 'retry'],
      ['ch1', 'primary', 'retry'],
      ['ch2', 'backup', 'ok']
    ])
    expect(log?.channelId).toBe(channels[2]?.id)
  })

  it("walks the chain depth-first, a fallback group's own fallbacks before the next one", async () => {
    failAll()
    const result = await chat()
    expect([result.status, result.attempts]).toEqual([502, '5'])
    expect(upstreams.map(u => u.requests.length)).toEqual([1, 1, 1, 1, 1])
    await cuttle.core.flusher.flush()
    const log = (await cuttle.core.repos.requestLogs.list(10)).find(l => l.requestId === result.requestId)
    expect(log?.attempts.map(a => `${a.group}/${a.channelName}`)).toEqual(['primary/ch0', 'primary/ch1', 'backup/ch2', 'last/ch3', 'side/ch4'])
  })

  it("holds the requested group's attempt cap across the whole chain", async () => {
    expect((await cuttle.admin('PATCH', `/groups/${primary.id}`, { maxAttempts: 3 })).status).toBe(200)
    try {
      failAll(502)
      const result = await chat()
      expect(result.attempts).toBe('3')
      expect(upstreams.map(u => u.requests.length)).toEqual([1, 1, 1, 0, 0])
    } finally {
      await cuttle.admin('PATCH', `/groups/${primary.id}`, { maxAttempts: 10 })
    }
  })

  it('stops at once on a client error, without touching the fallbacks', async () => {
    upstreams[0]?.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'bad request' } } }))
    const result = await chat()
    expect([result.status, result.attempts]).toEqual([400, '1'])
    expect(upstreams.map(u => u.requests.length)).toEqual([1, 0, 0, 0, 0])
  })

  it('refuses a fallback chain that comes back round, or names no group, with a 400 naming it', async () => {
    const last = ((await cuttle.admin('GET', '/groups')).body as GroupDto[]).find(g => g.name === 'last')
    const cycle = await cuttle.admin('PATCH', `/groups/${last?.id}`, { fallback: ['primary'] })
    expect(cycle.status).toBe(400)
    expect(cycle.body).toMatchObject({ error: { code: 'validation_failed', fields: [{ path: 'fallback', message: 'fallback cycle: last → primary → backup → last' }] } })

    const self = await cuttle.admin('POST', '/groups', { name: 'selfish', fallback: ['selfish'] })
    expect(self.body).toMatchObject({ error: { fields: [{ path: 'fallback', message: 'fallback cycle: selfish → selfish' }] } })
    const unknown = await cuttle.admin('POST', '/groups', { name: 'lost', fallback: ['side', 'nowhere'] })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toMatchObject({ error: { fields: [{ path: 'fallback.1', message: 'group "nowhere" does not exist' }] } })

    // A rename that makes a name in another group's chain point back is a cycle too.
    const loop = (await cuttle.admin('POST', '/groups', { name: 'loop', fallback: ['primary'] })).body as GroupDto
    const renamed = await cuttle.admin('PATCH', `/groups/${loop.id}`, { name: 'side' })
    expect(renamed.status).toBe(400)
    const names = ((await cuttle.admin('GET', '/groups')).body as GroupDto[]).map(g => g.name).sort()
    expect(names).toEqual(['backup', 'last', 'loop', 'primary', 'side'])
    expect((await chat()).status).toBe(200)
  })
})
