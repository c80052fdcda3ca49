import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { HealthRegistry } from '../relay/routing/health'
import { UpstreamClient } from '../relay/upstream-client'
import { keyFingerprint } from '../security/client-key'
import type { ChannelRecord } from '../store/records'
import { channelFields, FIXED_NOW } from '../testing/factories'
import { startFakeJsonServer, startFakeProxy, type FakeJsonServer, type SeenRequest } from '../testing/fake-json-server'
import { listModels, MAX_MODEL_PAGES, ModelListError } from './list-models'
import type { ProviderCallDeps } from './provider-call'

const KEY = 'sk-list-secret-0123456789'
const OTHER_KEY = 'sk-list-other-9876543210'

let upstream: UpstreamClient
let fake: FakeJsonServer
let deps: ProviderCallDeps & { health: HealthRegistry }

beforeAll(async () => {
  upstream = new UpstreamClient()
  fake = await startFakeJsonServer()
})
afterAll(async () => {
  await upstream.close()
  await fake.close()
})
beforeEach(() => {
  fake.requests.length = 0
  deps = { upstream, health: new HealthRegistry(() => FIXED_NOW), settings: () => DEFAULT_SETTINGS }
})

function channel(overrides: Partial<ChannelRecord>): ChannelRecord {
  return { ...channelFields({ baseUrls: [fake.url], keys: [KEY], headers: {}, proxy: null, timeouts: {}, modelMap: {} }), id: 7, createdAt: 0, updatedAt: 0, ...overrides }
}

const pageOf = (req: SeenRequest): string => `${req.method} ${req.path}?${req.query.toString()}`

describe('listModels, OpenAI Chat and Responses', () => {
  it('asks GET /v1/models of a bare origin with Bearer auth and keeps data[].id in order, each once, names a channel can hold', async () => {
    fake.answer(() => ({ body: { object: 'list', data: [{ id: 'gpt-b', object: 'model' }, { id: 'gpt-a' }, { id: 'gpt-b' }, { id: 'has space' }, { object: 'no id' }] } }))
    const models = await listModels(deps, channel({ type: 'openai-chat', baseUrls: [`${fake.url}/`], headers: { 'X-Org': 'acme' } }))
    expect(models).toEqual(['gpt-b', 'gpt-a'])
    expect(fake.requests.map(pageOf)).toEqual(['GET /v1/models?'])
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(fake.requests[0]?.headers['x-org']).toBe('acme')
  })

  it('uses a base URL with a path as the API root (/openai/v1 → /openai/v1/models)', async () => {
    fake.answer(() => ({ body: { data: [{ id: 'o3' }] } }))
    expect(await listModels(deps, channel({ type: 'openai-responses', baseUrls: [`${fake.url}/openai/v1`] }))).toEqual(['o3'])
    expect(fake.requests.map(pageOf)).toEqual(['GET /openai/v1/models?'])
  })

  it('skips a key set aside by the health registry and a cooling one, taking the first healthy key', async () => {
    fake.answer(() => ({ body: { data: [] } }))
    const third = 'sk-list-third-5555555555'
    deps.health.keyDisabledBy(7, keyFingerprint(KEY), 'HTTP 401')
    deps.health.keyThrottled(7, keyFingerprint(OTHER_KEY), 'HTTP 429', 60_000)
    await listModels(deps, channel({ keys: [KEY, OTHER_KEY, third] }))
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${third}`)
  })

  it('sends no auth header for a channel without keys', async () => {
    fake.answer(() => ({ body: { data: [{ id: 'llama3' }] } }))
    expect(await listModels(deps, channel({ keys: [] }))).toEqual(['llama3'])
    expect(fake.requests[0]?.headers.authorization).toBeUndefined()
  })
})

describe('listModels, Anthropic', () => {
  it('asks ?limit=1000 with x-api-key and anthropic-version and follows has_more / last_id as after_id', async () => {
    const pages: Record<string, unknown> = {
      '': { data: [{ type: 'model', id: 'claude-a' }, { type: 'model', id: 'claude-b' }], has_more: true, first_id: 'claude-a', last_id: 'claude-b' },
      'claude-b': { data: [{ type: 'model', id: 'claude-c' }], has_more: true, first_id: 'claude-c', last_id: 'claude-c' },
      'claude-c': { data: [{ type: 'model', id: 'claude-d' }], has_more: false, first_id: 'claude-d', last_id: 'claude-d' }
    }
    fake.answer(req => ({ body: pages[req.query.get('after_id') ?? ''] }))
    const models = await listModels(deps, channel({ type: 'anthropic' }))
    expect(models).toEqual(['claude-a', 'claude-b', 'claude-c', 'claude-d'])
    expect(fake.requests.map(pageOf)).toEqual([
      'GET /v1/models?limit=1000',
      'GET /v1/models?limit=1000&after_id=claude-b',
      'GET /v1/models?limit=1000&after_id=claude-c'
    ])
    for (const req of fake.requests) {
      expect(req.headers['x-api-key']).toBe(KEY)
      expect(req.headers['anthropic-version']).toBe('2023-06-01')
      expect(req.headers.authorization).toBeUndefined()
    }
  })

  it(`stops after ${MAX_MODEL_PAGES} pages of a provider that never stops paging`, async () => {
    let n = 0
    fake.answer(() => {
      n++
      return { body: { data: [{ id: `m-${n}` }], has_more: true, last_id: `m-${n}` } }
    })
    const models = await listModels(deps, channel({ type: 'anthropic', baseUrls: [`${fake.url}/api/anthropic/v1/`] }))
    expect(fake.requests).toHaveLength(20)
    expect(models).toHaveLength(20)
    expect(models.at(-1)).toBe('m-20')
    expect(fake.requests[0]?.path).toBe('/api/anthropic/v1/models')
  })
})

describe('listModels, Gemini', () => {
  it('asks /v1beta/models?pageSize=1000 with x-goog-api-key, follows nextPageToken, keeps generateContent models without models/', async () => {
    fake.answer(req =>
      req.query.get('pageToken') === 'p2'
        ? { body: { models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] }] } }
        : {
            body: {
              models: [
                { name: 'models/gemini-2.5-pro', supportedGenerationMethods: ['generateContent', 'streamGenerateContent'] },
                { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
                { name: 'models/aqa' }
              ],
              nextPageToken: 'p2'
            }
          }
    )
    const models = await listModels(deps, channel({ type: 'gemini' }))
    expect(models).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash'])
    expect(fake.requests.map(pageOf)).toEqual(['GET /v1beta/models?pageSize=1000', 'GET /v1beta/models?pageSize=1000&pageToken=p2'])
    expect(fake.requests[0]?.headers['x-goog-api-key']).toBe(KEY)
    expect(fake.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('uses /v1/models under a base URL ending in /v1, and reads an empty answer ({}) as no models', async () => {
    fake.answer(() => ({ body: {} }))
    expect(await listModels(deps, channel({ type: 'gemini', baseUrls: [`${fake.url}/v1`] }))).toEqual([])
    expect(fake.requests.map(pageOf)).toEqual(['GET /v1/models?pageSize=1000'])
  })
})

describe('listModels failures', () => {
  it('names the channel, the URL and the HTTP status and never the key, even when the provider echoes it', async () => {
    fake.answer(() => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error' } } }))
    const err = await listModels(deps, channel({ name: 'openai-main', keys: [KEY, OTHER_KEY] })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ModelListError)
    const message = (err as Error).message
    expect(message).toBe(`Channel "openai-main": listing models failed: HTTP 401 from GET ${fake.url}/v1/models: Incorrect API key provided: [redacted].`)
    expect(message).not.toContain(KEY)
  })

  it('tries the base URLs in order: a refused one hands over to the next; when all fail every reason is listed', async () => {
    const gone = await startFakeJsonServer()
    const goneUrl = gone.url
    await gone.close()
    fake.answer(() => ({ body: { data: [{ id: 'from-second' }] } }))
    expect(await listModels(deps, channel({ baseUrls: [goneUrl, fake.url] }))).toEqual(['from-second'])

    fake.answer(() => ({ status: 503, body: 'overloaded' }))
    const err = (await listModels(deps, channel({ name: 'two', baseUrls: [goneUrl, fake.url] })).catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(new RegExp(`^Channel "two": listing models failed: GET ${goneUrl}/v1/models failed: .*ECONNREFUSED.*; HTTP 503 from GET ${fake.url}/v1/models: overloaded$`))
  })

  it('says when an answer is not a model list of the channel protocol', async () => {
    fake.answer(() => ({ body: { models: 'nope' } }))
    const shape = (await listModels(deps, channel({ name: 'odd' })).catch((e: unknown) => e)) as Error
    expect(shape.message).toBe(`Channel "odd": listing models failed: GET ${fake.url}/v1/models did not answer a model list`)
    fake.answer(() => ({ body: { object: 'list', data: [{ id: 'gpt-x' }] } }))
    const gemini = (await listModels(deps, channel({ name: 'gem', type: 'gemini' })).catch((e: unknown) => e)) as Error
    expect(gemini.message).toBe(`Channel "gem": listing models failed: GET ${fake.url}/v1beta/models?pageSize=1000 did not answer a model list`)
  })

  it("applies the channel's first-byte timeout to a provider that never answers", async () => {
    fake.answer(() => ({ hang: true }))
    const started = Date.now()
    const err = (await listModels(deps, channel({ name: 'slow', timeouts: { firstByteMs: 300 } })).catch((e: unknown) => e)) as Error
    expect(err.message).toBe(`Channel "slow": listing models failed: GET ${fake.url}/v1/models timed out`)
    expect(Date.now() - started).toBeLessThan(3_000)
  })
})

describe('listModels through the channel proxy', () => {
  it("goes through the channel's proxy", async () => {
    const proxy = await startFakeProxy()
    try {
      fake.answer(() => ({ body: { data: [{ id: 'via-proxy' }] } }))
      expect(await listModels(deps, channel({ proxy: proxy.url }))).toEqual(['via-proxy'])
      expect(proxy.tunnels).toEqual([new URL(fake.url).host])
    } finally {
      await proxy.close()
    }
  })
})
