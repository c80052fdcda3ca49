import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelDto } from '@shared/dto/channel'
import type { ErrorRule } from '@shared/dto/error-rule'
import type { GroupDto } from '@shared/dto/group'
import { postChat } from '../../testing/chat-traffic'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let upstreams: FakeOpenAiUpstream[] = []
let channels: ChannelDto[] = []
let group: GroupDto
let clientKey: string

async function chat(): Promise<{ status: number; channel: string | null; attempts: string | null; requestId: string | null; body: unknown }> {
  const res = await postChat(cuttle.url, clientKey, 'ruled')
  const headers = { channel: res.headers.get('x-cuttle-channel'), attempts: res.headers.get('x-cuttle-attempts'), requestId: res.headers.get('x-cuttle-request-id') }
  return { status: res.status, ...headers, body: await res.json() }
}

async function channelRules(index: number, errorRules: ErrorRule[]): Promise<void> {
  expect((await cuttle.admin('PATCH', `/channels/${channels[index]?.id}`, { errorRules })).status).toBe(200)
}

async function groupRules(errorRules: ErrorRule[]): Promise<void> {
  expect((await cuttle.admin('PATCH', `/groups/${group.id}`, { errorRules })).status).toBe(200)
}

async function health(index: number): Promise<ChannelDto> {
  return (await cuttle.admin('GET', `/channels/${channels[index]?.id}`)).body as ChannelDto
}

async function loggedRules(requestId: string | null): Promise<Array<string | undefined>> {
  await cuttle.core.flusher.flush()
  const log = (await cuttle.core.repos.requestLogs.list(20)).find(l => l.requestId === requestId)
  return log?.attempts.map(a => a.rule) ?? []
}

const answer = (status: number, message: string, code = 'error'): Parameters<FakeOpenAiUpstream['behave']>[0] => () => ({ kind: 'status', status, body: { error: { message, code } } })

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstreams = await Promise.all([startFakeOpenAi(), startFakeOpenAi()])
  cuttle = await startTestCore(db)
  channels = []
  for (const [i, u] of upstreams.entries()) {
    channels.push((await cuttle.admin('POST', '/channels', { name: `ch${i}`, type: 'openai-chat', baseUrls: [u.url], keys: [`sk-rules-${i}-00000000000`] })).body as ChannelDto)
  }
  group = (await cuttle.admin('POST', '/groups', { name: 'ruled', mode: 'failover', members: channels.map(c => ({ channelId: c.id, model: 'm' })) })).body as GroupDto
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await Promise.all(upstreams.map(u => u.close()))
  await db.destroy()
})

beforeEach(async () => {
  for (const [i, c] of channels.entries()) {
    await channelRules(i, [])
    await cuttle.admin('POST', `/channels/${c.id}/health/reset`)
  }
  await groupRules([])
  for (const u of upstreams) {
    u.requests.length = 0
    u.behave(() => ({ kind: 'reply' }))
  }
})

describe('error rules', () => {
  it('retry: a 400 whose body says context_length_exceeded goes to the next channel, cooling nothing', async () => {
    upstreams[0]?.behave(answer(400, 'This model maximum context length is 8192 tokens', 'context_length_exceeded'))
    // Without a rule a client error goes straight back.
    expect((await chat()).status).toBe(400)
    expect(upstreams[1]?.requests).toHaveLength(0)

    await channelRules(0, [{ match: { status: '400', body: 'CONTEXT_LENGTH_EXCEEDED' }, action: 'retry' }])
    const result = await chat()
    expect([result.status, result.channel, result.attempts]).toEqual([200, 'ch1', '2'])
    expect((await health(0)).health.status).toBe('healthy')
    expect(await loggedRules(result.requestId)).toEqual(['retry', undefined])
  })

  it('fail: a 503 goes back to the client at once, nothing cooled, no other channel tried', async () => {
    upstreams[0]?.behave(answer(503, 'overloaded'))
    await groupRules([{ match: { status: '503' }, action: 'fail' }])
    const result = await chat()
    expect([result.status, result.attempts]).toEqual([503, '1'])
    expect(result.body).toMatchObject({ error: { message: expect.stringContaining('overloaded') as unknown } })
    expect(upstreams[1]?.requests).toHaveLength(0)
    expect((await health(0)).health.status).toBe('healthy')
    expect(await loggedRules(result.requestId)).toEqual(['fail'])
  })

  it('cool-channel: a 429 cools the whole channel instead of its key, and the next channel answers', async () => {
    upstreams[0]?.behave(answer(429, 'slow down'))
    await channelRules(0, [{ match: { status: '4xx' }, action: 'cool-channel' }])
    const result = await chat()
    expect([result.status, result.channel]).toEqual([200, 'ch1'])
    const cooled = await health(0)
    expect(cooled.health).toMatchObject({ status: 'cooling', reason: 'HTTP 429: slow down' })
    expect(cooled.keys.map(k => k.health.status)).toEqual(['healthy'])
  })

  it('cool-key: a 5xx cools the key, not the channel', async () => {
    upstreams[0]?.behave(answer(500, 'key-specific failure'))
    await groupRules([{ match: { status: '5xx' }, action: 'cool-key' }])
    expect((await chat()).channel).toBe('ch1')
    const cooled = await health(0)
    expect(cooled.health.status).toBe('healthy')
    expect(cooled.keys.map(k => k.health.status)).toEqual(['cooling'])
  })

  it('matches a body regex; the first matching rule wins and channel rules come before group rules', async () => {
    upstreams[0]?.behave(answer(402, 'Daily quota used up, resets tomorrow'))
    await channelRules(0, [
      { match: { body: '/never/' }, action: 'fail' },
      { match: { status: '4xx', body: '/quota.*TOMORROW/i' }, action: 'retry' }
    ])
    await groupRules([{ match: { status: '402' }, action: 'fail' }])
    const result = await chat()
    expect([result.status, result.channel]).toEqual([200, 'ch1'])
    // The default for a 402 would set the key aside; the rule cooled nothing.
    expect((await health(0)).keys.map(k => k.health.status)).toEqual(['healthy'])
  })

  it('refuses invalid patterns with a 400 naming the field', async () => {
    const regex = await cuttle.admin('PATCH', `/channels/${channels[0]?.id}`, { errorRules: [{ match: { body: '/unclosed(/' }, action: 'retry' }] })
    expect(regex.status).toBe(400)
    expect(regex.body).toMatchObject({ error: { fields: [{ path: 'errorRules.0.match.body', message: expect.stringContaining('is not a valid regular expression') as unknown }] } })
    const status = await cuttle.admin('PATCH', `/groups/${group.id}`, { errorRules: [{ match: { status: '42' }, action: 'retry' }] })
    expect(status.body).toMatchObject({ error: { fields: [{ path: 'errorRules.0.match.status', message: 'must be a status like 429 or a class like 4xx or 5xx' }] } })
    const empty = await cuttle.admin('PATCH', `/groups/${group.id}`, { errorRules: [{ match: {}, action: 'retry' }] })
    expect(empty.body).toMatchObject({ error: { fields: [{ path: 'errorRules.0.match', message: 'needs a status or a body pattern' }] } })
    const action = await cuttle.admin('PATCH', `/groups/${group.id}`, { errorRules: [{ match: { status: '500' }, action: 'ignore' }] })
    expect(action.status).toBe(400)
    expect(((await cuttle.admin('GET', `/groups/${group.id}`)).body as GroupDto).errorRules).toEqual([])
  })
})
