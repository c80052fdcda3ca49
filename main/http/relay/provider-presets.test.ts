import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AZURE_DEFAULT_API_VERSION } from '@shared/constants/provider-presets'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const AZURE_KEY = 'az-key-secret-0001'
const AZURE_PATH = `/openai/deployments/prod-4o/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`

let db: TestDatabase
let cuttle: TestCore
let openAiFake: FakeOpenAiUpstream
let azureFake: FakeOpenAiUpstream
let client: OpenAI
let azureId: number

async function created(body: Record<string, unknown>): Promise<number> {
  const reply = await cuttle.admin('POST', '/channels', body)
  expect(reply.status, JSON.stringify(reply.body)).toBe(201)
  return ChannelDtoSchema.parse(reply.body).id
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  openAiFake = await startFakeOpenAi()
  azureFake = await startFakeOpenAi()
  cuttle = await startTestCore(db)
  // The OpenAI preset with its base URL overridden by the fake, as a test or a gateway would.
  await created({ preset: 'openai', keys: ['sk-proj-secret-0001'], baseUrls: [openAiFake.url], models: ['gpt-preset'] })
  azureId = await created({ preset: 'azure-openai', keys: [AZURE_KEY], baseUrls: [azureFake.url], models: ['gpt-4o'], modelMap: { 'gpt-4o': 'prod-4o' } })
  const reply = await cuttle.admin('POST', '/api-keys', { name: 'laptop' })
  const clientKey = (reply.body as { key: string }).key
  client = new OpenAI({ apiKey: clientKey, baseURL: `${cuttle.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await cuttle?.stop()
  await openAiFake?.close()
  await azureFake?.close()
  await db?.destroy()
})

beforeEach(() => {
  openAiFake.requests.length = 0
  azureFake.requests.length = 0
})

describe('a channel made from the OpenAI preset', () => {
  it('relays like any Chat channel', async () => {
    const answer = await client.chat.completions.create({ model: 'gpt-preset', messages: [{ role: 'user', content: 'hi' }] })
    expect(answer.choices[0]?.message.content).toBe('Hello world')
    expect(openAiFake.requests[0]).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-proj-secret-0001' } })
  })
})

describe('an Azure OpenAI channel', () => {
  it('addresses the deployment with api-version and sends the key in api-key', async () => {
    const answer = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
    expect(answer.choices[0]?.message.content).toBe('Hello world')
    const seen = azureFake.requests[0]
    expect(seen?.path).toBe(AZURE_PATH)
    expect(seen?.headers['api-key']).toBe(AZURE_KEY)
    expect(seen?.headers.authorization).toBeUndefined()
    expect(seen?.body).toMatchObject({ model: 'prod-4o', messages: [{ role: 'user', content: 'hi' }] })
  })

  it('streams through the same address', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Hello world')
    const seen = azureFake.requests[0]
    expect(seen?.path).toBe(AZURE_PATH)
    expect(seen?.headers['api-key']).toBe(AZURE_KEY)
    expect(seen?.headers.accept).toBe('text/event-stream')
    expect(seen?.body.stream).toBe(true)
  })

  it('serves clients of another protocol by conversion, streamed too', async () => {
    const anthropic = new Anthropic({ apiKey: client.apiKey, baseURL: cuttle.url, maxRetries: 0 })
    const stream = anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    const message = await stream.finalMessage()
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello world' })])
    expect(azureFake.requests[0]?.path).toBe(AZURE_PATH)
    expect(azureFake.requests[0]?.headers['api-key']).toBe(AZURE_KEY)
  })

  it('is tested through its deployment too', async () => {
    const reply = await cuttle.admin('POST', `/channels/${azureId}/test`, { model: 'gpt-4o' })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    expect(reply.body).toMatchObject({ ok: true, answer: 'Hello world' })
    expect(azureFake.requests[0]?.path).toBe(AZURE_PATH)
  })

  it('is not model-synced: Azure lists base models, not deployments', async () => {
    const reply = await cuttle.admin('POST', `/channels/${azureId}/models/sync`, {})
    expect(reply.status).toBe(502)
    expect(JSON.stringify(reply.body)).toContain('Azure OpenAI deployments are not listed')
    expect(azureFake.requests).toHaveLength(0)
  })
})
