import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AZURE_DEFAULT_API_VERSION, PROVIDER_PRESETS } from '@shared/constants/provider-presets'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { ErrorBodySchema } from '@shared/dto/common'
import { ProviderPresetSchema } from '@shared/dto/provider-preset'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db)
})
afterAll(async () => {
  await cuttle?.stop()
  await db?.destroy()
})

async function create(body: Record<string, unknown>): Promise<ReturnType<typeof ChannelDtoSchema.parse>> {
  const reply = await cuttle.admin('POST', '/channels', body)
  expect(reply.status, JSON.stringify(reply.body)).toBe(201)
  return ChannelDtoSchema.parse(reply.body)
}

async function rejected(method: string, path: string, body: Record<string, unknown>): Promise<{ path: string; message: string }[]> {
  const reply = await cuttle.admin(method, path, body)
  expect(reply.status, JSON.stringify(reply.body)).toBe(400)
  return ErrorBodySchema.parse(reply.body).error.fields ?? []
}

describe('GET /api/v1/provider-presets', () => {
  it('lists every preset', async () => {
    const reply = await cuttle.admin('GET', '/provider-presets')
    expect(reply.status).toBe(200)
    const presets = ProviderPresetSchema.array().parse(reply.body)
    expect(presets).toEqual(PROVIDER_PRESETS)
  })
})

describe('POST /api/v1/channels with a preset', () => {
  it('needs only a key: type, base URL, suggested models and the name come from the preset', async () => {
    const first = await create({ preset: 'openai', keys: ['sk-proj-aaaa0001'] })
    expect(first).toMatchObject({ name: 'openai', type: 'openai-chat', baseUrls: ['https://api.openai.com'], azure: null, enabled: true })
    expect(first.models).toEqual(PROVIDER_PRESETS[0]?.suggestedModels)
    expect(first.keys).toHaveLength(1)
    // The default name is made unique.
    expect((await create({ preset: 'openai', keys: ['sk-proj-aaaa0002'] })).name).toBe('openai-2')
    expect((await create({ preset: 'openai', keys: ['sk-proj-aaaa0003'] })).name).toBe('openai-3')
  })

  it('keeps the fields given over the preset', async () => {
    const groq = await create({ preset: 'groq', name: 'my groq', keys: ['gsk_0001'], models: ['qwen/qwen3-32b'], baseUrls: ['https://eu.groq.example/openai/v1'], priority: 2 })
    expect(groq).toMatchObject({ name: 'my groq', type: 'openai-chat', baseUrls: ['https://eu.groq.example/openai/v1'], models: ['qwen/qwen3-32b'], priority: 2 })
    const anthropic = await create({ preset: 'anthropic', name: 'claude', keys: ['sk-ant-0001'] })
    expect(anthropic).toMatchObject({ type: 'anthropic', baseUrls: ['https://api.anthropic.com'] })
  })

  it('creates a keyless local channel', async () => {
    const ollama = await create({ preset: 'ollama' })
    expect(ollama).toMatchObject({ name: 'ollama', type: 'openai-chat', baseUrls: ['http://127.0.0.1:11434/v1'], keys: [], models: [] })
  })

  it('asks Azure for the resource endpoint and fills its api-version', async () => {
    expect(await rejected('POST', '/channels', { preset: 'azure-openai', keys: ['az-0001'] })).toEqual([
      { path: 'baseUrls', message: expect.stringContaining('https://<resource>.openai.azure.com') }
    ])
    const azure = await create({ preset: 'azure-openai', keys: ['az-0001'], baseUrls: ['https://acme.openai.azure.com'], models: ['gpt-4o'], modelMap: { 'gpt-4o': 'prod-4o' } })
    expect(azure).toMatchObject({ name: 'azure-openai', type: 'openai-chat', azure: { apiVersion: AZURE_DEFAULT_API_VERSION }, modelMap: { 'gpt-4o': 'prod-4o' } })
    const pinned = await create({ preset: 'azure-openai', baseUrls: ['https://acme.openai.azure.com'], azure: { apiVersion: '2025-04-01-preview' } })
    expect(pinned.azure).toEqual({ apiVersion: '2025-04-01-preview' })
  })

  it('rejects an unknown preset, a channel without one that lacks its fields, and Azure options on another type', async () => {
    expect((await rejected('POST', '/channels', { preset: 'nope', keys: ['k'] })).map(f => f.path)).toEqual(['preset'])
    expect((await rejected('POST', '/channels', { keys: ['k'] })).map(f => f.path)).toEqual(['name', 'type', 'baseUrls'])
    expect(await rejected('POST', '/channels', { preset: 'anthropic', name: 'az-claude', azure: { apiVersion: '2024-10-21' } })).toEqual([
      { path: 'azure', message: 'applies to openai-chat channels only' }
    ])
    const chat = await create({ name: 'plain', type: 'openai-chat', baseUrls: ['https://api.example.com'], azure: { apiVersion: '2024-10-21' } })
    expect((await rejected('PATCH', `/channels/${chat.id}`, { type: 'gemini' })).map(f => f.path)).toEqual(['azure'])
    const off = await cuttle.admin('PATCH', `/channels/${chat.id}`, { type: 'gemini', azure: null })
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(ChannelDtoSchema.parse(off.body)).toMatchObject({ type: 'gemini', azure: null })
  })

  it('still creates a channel without a preset as before', async () => {
    const plain = await create({ name: 'manual', type: 'gemini', baseUrls: ['https://generativelanguage.googleapis.com'], keys: ['AIza-0001'] })
    expect(plain).toMatchObject({ name: 'manual', type: 'gemini', models: [], azure: null })
  })
})
