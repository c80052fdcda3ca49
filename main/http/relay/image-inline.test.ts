import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProvider, type FakeProvider } from '../../testing/fake-provider'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

let db: TestDatabase
let cuttle: TestCore
let provider: FakeProvider
let images: Server
let imageUrl: string
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  provider = await startFakeProvider()
  images = createServer((req, res) => {
    if (req.url === '/cat.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
    res.writeHead(404).end()
  })
  await new Promise<void>(resolve => images.listen(0, '127.0.0.1', () => resolve()))
  imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`
  cuttle = await startTestCore(db)
  await cuttle.admin('POST', '/channels', { name: 'gem', type: 'gemini', baseUrls: [provider.url], keys: ['gem-key-000001'], models: ['gem-x'] })
  await cuttle.admin('POST', '/channels', { name: 'claude', type: 'anthropic', baseUrls: [provider.url], keys: ['ant-key-000001'], models: ['claude-x'] })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await provider.close()
  images.close()
  await db.destroy()
})

function ask(model: string, url: string): Promise<Response> {
  return fetch(`${cuttle.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }] })
  })
}

describe('images given by URL', () => {
  it('§4 #28: are fetched and inlined for a Gemini channel', async () => {
    const res = await ask('gem-x', `${imageUrl}/cat.png`)
    expect(res.status).toBe(200)
    const seen = provider.requests.at(-1)?.body as { contents: Array<{ parts: Array<Record<string, unknown>> }> }
    expect(seen.contents[0]?.parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } })
  })

  it('§4 #28: stay URLs for an Anthropic channel, which fetches them itself', async () => {
    const res = await ask('claude-x', `${imageUrl}/cat.png`)
    expect(res.status).toBe(200)
    const seen = provider.requests.at(-1)?.body as { messages: Array<{ content: Array<Record<string, unknown>> }> }
    expect(seen.messages[0]?.content).toContainEqual({ type: 'image', source: { type: 'url', url: `${imageUrl}/cat.png` } })
  })

  it('that cannot be fetched get a 400 naming the URL, and nothing is sent upstream', async () => {
    const before = provider.requests.length
    const res = await ask('gem-x', `${imageUrl}/missing.png`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toContain(`${imageUrl}/missing.png`)
    expect(body.error.message).toContain('HTTP 404')
    expect(provider.requests.length).toBe(before)
  })
})
