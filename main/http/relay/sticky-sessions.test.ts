import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelDto } from '@shared/dto/channel'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startFakeProvider, type FakeProvider } from '../../testing/fake-provider'
import { sseAnswer, startScriptedUpstream, type ScriptedAnswer, type ScriptedUpstream } from '../../testing/scripted-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let clientKey: string
/** Added to the real clock: moving it past the TTL expires the pins. */
let clockOffset = 0
let chats: FakeOpenAiUpstream[] = []
let anthropics: FakeProvider[] = []
let responses: ScriptedUpstream[] = []
let chatChannels: ChannelDto[] = []

const CHAT_KEYS = ['sk-pool-key-a-000000001', 'sk-pool-key-b-000000002']
const TTL_SEC = 3600

/** A Responses answer naming its channel in its id (`resp_r0_3`), whole or streamed by the model asked for. */
function responsesUpstream(name: string): () => Promise<ScriptedUpstream> {
  let n = 0
  return () =>
    startScriptedUpstream((model): ScriptedAnswer => {
      const response = { id: `resp_${name}_${++n}`, object: 'response', status: 'completed', model, output: [], usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } }
      if (model !== 'm-sse') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) }
      const frame = (type: string, seq: number): string => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq, response })}\n\n`
      return sseAnswer(frame('response.created', 0) + frame('response.completed', 1))
    })
}

interface Answer {
  status: number
  channel: string | null
  attempts: string | null
  text: string
}

async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${cuttle.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  })
  return { status: res.status, channel: res.headers.get('x-cuttle-channel'), attempts: res.headers.get('x-cuttle-attempts'), text: await res.text() }
}

const chat = (headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Promise<Answer> =>
  post('/v1/chat/completions', { model: 'pool', messages: [{ role: 'user', content: 'hi' }], ...extra }, headers)

const claude = (userId: string): Promise<Answer> =>
  post('/v1/messages', { model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: userId } }, { 'anthropic-version': '2023-06-01' })

/** The channels `n` answers went to, in order. */
async function channelsOf(n: number, send: () => Promise<Answer>): Promise<Array<string | null>> {
  const out: Array<string | null> = []
  for (let i = 0; i < n; i++) {
    const answer = await send()
    expect(answer.status).toBe(200)
    out.push(answer.channel)
  }
  return out
}

const distinct = <T,>(values: readonly T[]): Set<T> => new Set(values)

async function channel(name: string, type: string, url: string, keys: string[]): Promise<ChannelDto> {
  return (await cuttle.admin('POST', '/channels', { name, type, baseUrls: [url], keys, models: [] })).body as ChannelDto
}

async function group(name: string, channels: ChannelDto[], model: string): Promise<void> {
  const reply = await cuttle.admin('POST', '/groups', { name, mode: 'round-robin', members: channels.map(c => ({ channelId: c.id, model, priority: 0 })) })
  expect(reply.status).toBe(201)
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  chats = await Promise.all([startFakeOpenAi(), startFakeOpenAi()])
  anthropics = await Promise.all([startFakeProvider(), startFakeProvider()])
  responses = await Promise.all([responsesUpstream('r0')(), responsesUpstream('r1')()])
  cuttle = await startTestCore(db, {}, { now: () => Date.now() + clockOffset })
  chatChannels = [await channel('c0', 'openai-chat', chats[0]?.url ?? '', CHAT_KEYS), await channel('c1', 'openai-chat', chats[1]?.url ?? '', ['sk-pool-key-c-000000003'])]
  await group('pool', chatChannels, 'gpt-x')
  const claudeChannels = [await channel('a0', 'anthropic', anthropics[0]?.url ?? '', ['sk-ant-0000000001']), await channel('a1', 'anthropic', anthropics[1]?.url ?? '', ['sk-ant-0000000002'])]
  await group('claude', claudeChannels, 'claude-x')
  const responsesChannels = [await channel('r0', 'openai-responses', responses[0]?.url ?? '', ['sk-resp-000000001']), await channel('r1', 'openai-responses', responses[1]?.url ?? '', ['sk-resp-000000002'])]
  await group('codex', responsesChannels, 'm-json')
  await group('codex-stream', responsesChannels, 'm-sse')
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await Promise.all([...chats, ...anthropics, ...responses].map(u => u.close()))
  await db.destroy()
})

beforeEach(async () => {
  expect((await cuttle.admin('PATCH', '/settings', { stickySessionTtlSec: TTL_SEC })).status).toBe(200)
  for (const c of chatChannels) await cuttle.admin('POST', `/channels/${c.id}/health/reset`)
  for (const u of chats) {
    u.requests.length = 0
    u.behave(() => ({ kind: 'reply' }))
  }
})

describe('sticky sessions', () => {
  it('keeps one x-cuttle-session on one channel and key; another session may use the other channel', async () => {
    const first = await channelsOf(10, () => chat({ 'x-cuttle-session': 'conv-1' }))
    expect(distinct(first).size).toBe(1)
    // The pinned key is preferred too: ten turns on c0 would otherwise alternate its two keys.
    const keysOnC0 = chats[0]?.requests.map(r => r.headers.authorization) ?? []
    expect(distinct(keysOnC0).size).toBeLessThanOrEqual(1)
    const second = await channelsOf(10, () => chat({ 'x-cuttle-session': 'conv-2' }))
    expect(distinct(second).size).toBe(1)
    // A new session starts wherever the rotation stands: eleven rotations later both are taken.
    const starts = new Set<string | null>()
    for (let i = 0; i < 4; i++) starts.add((await chat({ 'x-cuttle-session': `fresh-${i}` })).channel)
    expect(starts).toEqual(new Set(['c0', 'c1']))
  })

  it('leaves round-robin exactly as it was for requests without a session', async () => {
    const start = (await chat()).channel
    const next = await channelsOf(9, () => chat())
    const other = start === 'c0' ? 'c1' : 'c0'
    expect(next).toEqual([other, start, other, start, other, start, other, start, other])
    // c0's two keys still take turns.
    const onC0 = chats[0]?.requests.map(r => r.headers.authorization) ?? []
    expect(distinct(onC0)).toEqual(new Set(CHAT_KEYS.map(k => `Bearer ${k}`)))
  })

  it('sticks OpenAI prompt_cache_key and user', async () => {
    expect(distinct(await channelsOf(6, () => chat({}, { prompt_cache_key: 'cache-7' }))).size).toBe(1)
    expect(distinct(await channelsOf(6, () => chat({}, { user: 'alice' }))).size).toBe(1)
  })

  it("sticks Anthropic requests by Claude Code's session in metadata.user_id, in both of its formats", async () => {
    const legacy = 'user_0f3a_account__session_57a121ec-f78c-48c3-a745-e3036a3ecc33'
    expect(distinct(await channelsOf(6, () => claude(legacy))).size).toBe(1)
    const json = JSON.stringify({ device_id: 'd1', account_uuid: '', session_id: '54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe' })
    expect(distinct(await channelsOf(6, () => claude(json))).size).toBe(1)
    // The header Claude Code sends since v2.1.86 names the same session as the body.
    const byHeader = await post(
      '/v1/messages',
      { model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01', 'x-claude-code-session-id': '54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe' }
    )
    const byBody = await claude(json)
    expect(byHeader.channel).toBe(byBody.channel)
  })

  it.each([
    ['whole', 'codex'],
    ['streamed', 'codex-stream']
  ])('sends previous_response_id to the channel that made that response (%s answers)', async (_kind, model) => {
    const stream = model === 'codex-stream'
    const turn = async (previous: string | null): Promise<{ channel: string | null; id: string }> => {
      const answer = await post('/v1/responses', { model, input: 'hi', stream, ...(previous === null ? {} : { previous_response_id: previous }) })
      expect(answer.status).toBe(200)
      const id = /"id":"(resp_[^"]+)"/.exec(answer.text)?.[1] ?? ''
      return { channel: answer.channel, id }
    }
    const a = await turn(null)
    const b = await turn(null)
    expect(new Set([a.channel, b.channel])).toEqual(new Set(['r0', 'r1']))
    const latest = { a: a.id, b: b.id }
    // An order round-robin alone would get half wrong.
    for (const chain of ['a', 'a', 'b', 'b', 'a', 'b', 'b', 'a'] as const) {
      const next = await turn(latest[chain])
      expect(next.channel).toBe(chain === 'a' ? a.channel : b.channel)
      latest[chain] = next.id
    }
  })

  it('forgets a session after the TTL; each answer starts the TTL again', async () => {
    const pinned = (await chat({ 'x-cuttle-session': 'short' })).channel
    clockOffset += (TTL_SEC - 1) * 1000
    expect((await chat({ 'x-cuttle-session': 'short' })).channel).toBe(pinned)
    clockOffset += (TTL_SEC - 1) * 1000
    expect((await chat({ 'x-cuttle-session': 'short' })).channel).toBe(pinned)
    clockOffset += (TTL_SEC + 1) * 1000
    // Turn the rotation until its next start is the other channel: a remembered pin would still say `pinned`.
    if ((await chat()).channel !== pinned) expect((await chat()).channel).toBe(pinned)
    expect((await chat({ 'x-cuttle-session': 'short' })).channel).not.toBe(pinned)
  })

  it('does nothing with a TTL of 0', async () => {
    expect((await cuttle.admin('PATCH', '/settings', { stickySessionTtlSec: 0 })).status).toBe(200)
    expect(distinct(await channelsOf(4, () => chat({ 'x-cuttle-session': 'off' })))).toEqual(new Set(['c0', 'c1']))
  })

  it('falls back when the sticky channel fails and re-pins the session to the channel that answered', async () => {
    const pinned = (await chat({ 'x-cuttle-session': 'moving' })).channel
    const pinnedAt = pinned === 'c0' ? 0 : 1
    chats[pinnedAt]?.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'down' } } }))
    const fallback = await chat({ 'x-cuttle-session': 'moving' })
    expect([fallback.status, fallback.attempts]).toEqual([200, '2'])
    expect(fallback.channel).not.toBe(pinned)
    // The first channel is healthy again, yet the session stays where it was answered.
    chats[pinnedAt]?.behave(() => ({ kind: 'reply' }))
    await cuttle.admin('POST', `/channels/${chatChannels[pinnedAt]?.id ?? 0}/health/reset`)
    expect(await channelsOf(5, () => chat({ 'x-cuttle-session': 'moving' }))).toEqual(Array(5).fill(fallback.channel))
  })
})
