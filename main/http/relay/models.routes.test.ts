import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let key: string
let narrowKey: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db)
  const channel = (await cuttle.admin('POST', '/channels', { name: 'c', type: 'anthropic', baseUrls: ['http://127.0.0.1:9'], keys: ['k-000000'], models: ['claude-x', 'claude-y'] })).body as { id: number }
  await cuttle.admin('POST', '/groups', { name: 'smart', members: [{ channelId: channel.id, model: 'claude-x' }] })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'all' })).body as { key: string }).key
  narrowKey = ((await cuttle.admin('POST', '/api-keys', { name: 'narrow', allowedGroups: ['smart'] })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await db.destroy()
})

async function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${cuttle.url}${path}`, { headers })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('model lists in each client\'s shape', () => {
  it('OpenAI list by default, only what the key may use', async () => {
    const all = await get('/v1/models', { authorization: `Bearer ${key}` })
    expect(all.body).toEqual({
      object: 'list',
      data: ['claude-x', 'claude-y', 'smart'].map(id => ({ id, object: 'model', created: 0, owned_by: 'cuttle' }))
    })
    const narrow = await get('/v1/models', { authorization: `Bearer ${narrowKey}` })
    expect((narrow.body.data as Array<{ id: string }>).map(m => m.id)).toEqual(['smart'])
  })

  it('Anthropic list when anthropic-version is sent (Claude Code model discovery)', async () => {
    const r = await get('/v1/models?limit=1000', { 'x-api-key': key, 'anthropic-version': '2023-06-01' })
    expect(r.body).toMatchObject({ has_more: false, first_id: 'claude-x', last_id: 'smart' })
    expect((r.body.data as Array<Record<string, unknown>>)[0]).toEqual({ type: 'model', id: 'claude-x', display_name: 'claude-x', created_at: '1970-01-01T00:00:00Z' })
  })

  it('§4 #33: Codex asking with client_version gets its own {models: []} shape', async () => {
    const r = await get('/v1/models?client_version=0.171.0', { authorization: `Bearer ${key}` })
    expect(r.body).toEqual({ models: [] })
  })

  it('Gemini list under /v1beta/models with the key in x-goog-api-key', async () => {
    const r = await get('/v1beta/models', { 'x-goog-api-key': narrowKey })
    expect(r.body).toEqual({
      models: [{ name: 'models/smart', baseModelId: 'smart', displayName: 'smart', supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'] }]
    })
  })

  it('a wrong key is refused in the asking client\'s format', async () => {
    const anthropic = await get('/v1/models', { 'x-api-key': 'nope', 'anthropic-version': '2023-06-01' })
    expect(anthropic.status).toBe(401)
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    const gemini = await get('/v1beta/models', { 'x-goog-api-key': 'nope' })
    expect(gemini.status).toBe(401)
    expect(gemini.body).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } })
  })

  it('an endpoint the relay does not serve is a 404 in the format of its API', async () => {
    const openai = await fetch(`${cuttle.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{}' })
    expect(openai.status).toBe(404)
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'This relay has no endpoint POST /v1/embeddings.' } })
    const anthropic = await fetch(`${cuttle.url}/v1/messages/batches`, { method: 'POST', headers: { 'x-api-key': key }, body: '{}' })
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const gemini = await fetch(`${cuttle.url}/v1beta/models/claude-x:embedContent`, { method: 'POST', headers: { 'x-goog-api-key': key }, body: '{}' })
    expect(gemini.status).toBe(404)
    expect(await gemini.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } })
  })
})
