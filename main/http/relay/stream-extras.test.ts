import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startFakeProvider, type FakeProvider } from '../../testing/fake-provider'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let slow: FakeOpenAiUpstream
let provider: FakeProvider
let overloaded: Server
let key: string

/** An Anthropic stream that starts, then reports an overload in-band, as Anthropic does. */
const OVERLOADED_STREAM = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}\n\n',
  'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'
].join('')

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  slow = await startFakeOpenAi()
  provider = await startFakeProvider()
  cuttle = await startTestCore(db)
  await cuttle.admin('POST', '/channels', { name: 'slow', type: 'openai-chat', baseUrls: [slow.url], keys: ['sk-slow-key-0001'], models: ['slow-model'] })
  await cuttle.admin('POST', '/channels', { name: 'claude', type: 'anthropic', baseUrls: [provider.url], keys: ['sk-ant-key-0001'], models: ['claude-x'] })
  overloaded = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.end(OVERLOADED_STREAM)
  })
  await new Promise<void>(resolve => overloaded.listen(0, '127.0.0.1', () => resolve()))
  const overloadedUrl = `http://127.0.0.1:${(overloaded.address() as AddressInfo).port}`
  await cuttle.admin('POST', '/channels', { name: 'busy', type: 'anthropic', baseUrls: [overloadedUrl], keys: ['sk-ant-key-0002'], models: ['claude-busy'] })
  await cuttle.admin('PATCH', '/settings', { streamKeepAliveSec: 1 })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await slow.close()
  await provider.close()
  overloaded.close()
  await db.destroy()
})

describe('streams', () => {
  it('sends an SSE keep-alive comment while the upstream is silent, between whole events', async () => {
    slow.behave(() => ({ kind: 'slow-stream', count: 2, intervalMs: 1600 }))
    const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-model', messages: [{ role: 'user', content: 'hi' }], stream: true })
    })
    const text = await res.text()
    const blocks = text.split('\n\n').filter(b => b !== '')
    expect(blocks.filter(b => b === ': keepalive').length).toBeGreaterThanOrEqual(2)
    // Every other block is a whole event.
    for (const block of blocks.filter(b => b !== ': keepalive')) expect(block).toMatch(/^data: /)
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
  })

  it('passes the client\'s anthropic-version and anthropic-beta on to an Anthropic channel', async () => {
    const res = await fetch(`${cuttle.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14'
      },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(res.status).toBe(200)
    const seen = provider.requests.at(-1)
    expect(seen?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14')
    expect(seen?.headers['anthropic-version']).toBe('2023-06-01')
    expect(seen?.headers['x-api-key']).toBe('sk-ant-key-0001')
  })

  it('passes an in-band upstream error through untouched and logs the request as failed', async () => {
    const res = await fetch(`${cuttle.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-busy', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(await res.text()).toBe(OVERLOADED_STREAM)
    await cuttle.core.flusher.flush()
    const [row] = await cuttle.core.repos.requestLogs.list(1)
    expect(row).toMatchObject({ requestedModel: 'claude-busy', status: 502, error: 'Overloaded', inputTokens: 12 })
  })
})
