import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let chat: FakeOpenAiUpstream
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  chat = await startFakeOpenAi()
  cuttle = await startTestCore(db)
  await cuttle.admin('POST', '/channels', { name: 'chat', type: 'openai-chat', baseUrls: [chat.url], keys: ['sk-chat-key-0001'], models: ['gpt-x'] })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await chat.close()
  await db.destroy()
})

async function anthropic(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${cuttle.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'gpt-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('upstream errors reach a converted client in its own format', () => {
  it('a client error of the channel keeps its status and message, as an Anthropic error', async () => {
    chat.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'This model maximum context length is 8192 tokens', code: 'context_length_exceeded' } } }))
    const r = await anthropic()
    expect(r.status).toBe(400)
    expect(r.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('maximum context length is 8192') } })
  })

  it('a 200 that carries an error object is an error for the client, not an empty answer', async () => {
    chat.behave(() => ({ kind: 'status', status: 200, body: { error: { message: 'upstream overloaded', type: 'server_error' } } }))
    const r = await anthropic()
    expect(r.status).toBeGreaterThanOrEqual(500)
    expect(r.body).toMatchObject({ type: 'error', error: { message: expect.stringContaining('upstream overloaded') } })
  })

  it('every attempt failing gives a Gemini client a Gemini error', async () => {
    chat.behave(() => ({ kind: 'status', status: 503, body: { error: { message: 'down' } } }))
    const res = await fetch(`${cuttle.url}/v1beta/models/gpt-x:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE', message: expect.stringContaining('down') } })
  })
})
