import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_TYPES } from '@shared/constants/protocol'
import type { Protocol } from '../../relay/canonical/request'
import { FAKE_USAGE, startFakeProvider, WEATHER_TEXT, type FakeProvider, type ProviderRequest } from '../../testing/fake-provider'
import { sdkDriver } from '../../testing/sdk-clients'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

/**
 * The 4 × 4 matrix: each official SDK (OpenAI Chat and Responses, Anthropic, Google GenAI)
 * against a channel of each protocol, streaming and not, through a tool-call round trip.
 */
let db: TestDatabase
let cuttle: TestCore
let provider: FakeProvider
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  provider = await startFakeProvider()
  cuttle = await startTestCore(db)
  for (const type of CHANNEL_TYPES) {
    const created = await cuttle.admin('POST', '/channels', { name: `ch-${type}`, type, baseUrls: [provider.url], keys: [`sk-${type}-provider-key`], models: [`m-${type}`] })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
  }
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'matrix' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await provider.close()
  await db.destroy()
})

/** The tool result the provider received, by the id it gave its own call. */
function toolResultSeen(req: ProviderRequest): { id: string | undefined; name: string | undefined } | null {
  const body = req.body as Record<string, unknown>
  const list = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [])
  switch (req.protocol) {
    case 'openai-chat': {
      const tool = list(body.messages).find(m => m.role === 'tool')
      return tool ? { id: String(tool.tool_call_id), name: undefined } : null
    }
    case 'openai-responses': {
      const out = list(body.input).find(i => i.type === 'function_call_output')
      return out ? { id: String(out.call_id), name: undefined } : null
    }
    case 'anthropic': {
      for (const m of list(body.messages)) {
        const block = list(m.content).find(b => b.type === 'tool_result')
        if (block) return { id: String(block.tool_use_id), name: undefined }
      }
      return null
    }
    case 'gemini': {
      for (const c of list(body.contents)) {
        const part = list(c.parts).find(p => p.functionResponse !== undefined)
        const response = part?.functionResponse as { id?: string; name?: string } | undefined
        if (response) return { id: response.id, name: response.name }
      }
      return null
    }
  }
}

/** The id each fake provider gives its weather call (Gemini gives none). */
const PROVIDER_CALL_ID: Record<Protocol, string | undefined> = {
  'openai-chat': 'call_w1',
  'openai-responses': 'call_w1',
  anthropic: 'toolu_w1',
  gemini: undefined
}

describe.each(CHANNEL_TYPES)('SDK → Cuttle → %s channel', channelType => {
  describe.each(CHANNEL_TYPES)('%s SDK', client => {
    it.each([false, true])('tool call round trip (stream: %s)', async stream => {
      const driver = sdkDriver(client, cuttle.url, key)
      const model = `m-${channelType}`
      const first = await driver.ask(model, stream)
      expect(first.toolCall).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } })
      const asked = provider.requests.at(-1)
      expect(asked?.protocol).toBe(channelType)
      expect(asked?.stream).toBe(stream)

      const second = await driver.answer(model, stream, first)
      expect(second.text).toBe(WEATHER_TEXT)
      expect(second.toolCall).toBeNull()
      const answered = provider.requests.at(-1)
      if (!answered) throw new Error('the provider saw nothing')
      const seen = toolResultSeen(answered)
      // The provider gets the result under the id it gave the call (Gemini pairs by name).
      if (channelType === 'gemini') expect(seen?.name).toBe('get_weather')
      else expect(seen?.id).toBe(PROVIDER_CALL_ID[channelType])
      // Usage in the client's terms carries the same totals whatever the channel.
      expect(second.usage).toEqual({ input: FAKE_USAGE.input, cached: FAKE_USAGE.cached, output: FAKE_USAGE.output })
    })
  })
})
