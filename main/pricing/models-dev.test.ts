import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bundledSnapshot } from './bundled-snapshot'
import { formatSnapshot, ModelsDevFormatError, reduceModelsDev, snapshotPrices, type ModelsDevSnapshot } from './models-dev'

const META = { source: 'test', generatedAt: '2026-01-01T00:00:00.000Z' }

/** A slice of models.dev's api.json with the fields pricing ignores, and some broken entries. */
const CATALOGUE = {
  zeta: {
    id: 'zeta',
    name: 'Zeta Cloud',
    env: ['ZETA_KEY'],
    models: {
      'b-model': { id: 'b-model', name: 'B', tool_call: true, cost: { input: 1, output: 2, reasoning: 2 }, limit: { context: 1000, output: 100 } },
      'a-model': { id: 'a-model', cost: { input: 0, output: 0 } },
      unpriced: { id: 'unpriced', name: 'No cost', limit: { context: 1000, output: 100 } },
      negative: { id: 'negative', name: 'Broken', cost: { input: -1, output: 2 } },
      textual: { id: 'textual', name: 'Broken', cost: { input: '1', output: 2 } }
    }
  },
  google: {
    id: 'google',
    name: 'Google',
    models: {
      'gemini-2.5-pro': {
        id: 'gemini-2.5-pro',
        name: 'Gemini 2.5 Pro',
        cost: { input: 1.25, output: 10, cache_read: 0.31, context_over_200k: { input: 2.5, output: 15, cache_read: 0.625 } },
        limit: { context: 1048576, output: 65536 }
      },
      'gemini-odd-tier': { id: 'gemini-odd-tier', name: 'Odd', cost: { input: 1, output: 2, context_over_200k: { input: 'x' } }, limit: { context: 5 } }
    }
  },
  'no-models': { id: 'no-models', name: 'Empty', models: {} },
  broken: 'not a provider'
}

describe('reduceModelsDev', () => {
  it('keeps priced models only, with their name, prices, long-context tier and limits, sorted by id', () => {
    const snapshot = reduceModelsDev(CATALOGUE, META)
    expect(snapshot).toEqual({
      ...META,
      providers: {
        google: {
          name: 'Google',
          models: {
            'gemini-2.5-pro': {
              name: 'Gemini 2.5 Pro',
              cost: { input: 1.25, output: 10, cache_read: 0.31, context_over_200k: { input: 2.5, output: 15, cache_read: 0.625 } },
              limit: { context: 1048576, output: 65536 }
            },
            // A malformed tier is dropped, the model and its base prices stay; a malformed limit is left out.
            'gemini-odd-tier': { name: 'Odd', cost: { input: 1, output: 2 } }
          }
        },
        zeta: {
          name: 'Zeta Cloud',
          models: {
            'a-model': { name: 'a-model', cost: { input: 0, output: 0 } },
            'b-model': { name: 'B', cost: { input: 1, output: 2 }, limit: { context: 1000, output: 100 } }
          }
        }
      }
    })
    expect(Object.keys(snapshot.providers)).toEqual(['google', 'zeta'])
    expect(Object.keys(snapshot.providers.zeta?.models ?? {})).toEqual(['a-model', 'b-model'])
  })

  it('refuses an answer that is not a catalogue, or has no price at all', () => {
    expect(() => reduceModelsDev([1, 2], META)).toThrow(ModelsDevFormatError)
    expect(() => reduceModelsDev('<html>', META)).toThrow('it is not a JSON object of providers')
    expect(() => reduceModelsDev({ p: { models: { m: { name: 'x' } } } }, META)).toThrow('it lists no model with a price')
  })

  it('turns the snapshot into models.dev price rows, tiers with their threshold, missing cache prices as null', () => {
    const rows = snapshotPrices(reduceModelsDev(CATALOGUE, META))
    expect(rows).toEqual([
      {
        model: 'gemini-2.5-pro',
        source: 'models.dev',
        channelId: null,
        provider: 'google',
        input: 1.25,
        output: 10,
        cacheRead: 0.31,
        cacheWrite: null,
        tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.625, cacheWrite: null }]
      },
      { model: 'gemini-odd-tier', source: 'models.dev', channelId: null, provider: 'google', input: 1, output: 2, cacheRead: null, cacheWrite: null, tiers: [] },
      { model: 'a-model', source: 'models.dev', channelId: null, provider: 'zeta', input: 0, output: 0, cacheRead: null, cacheWrite: null, tiers: [] },
      { model: 'b-model', source: 'models.dev', channelId: null, provider: 'zeta', input: 1, output: 2, cacheRead: null, cacheWrite: null, tiers: [] }
    ])
  })

  it('formats one line per model and reads back the same', () => {
    const snapshot = reduceModelsDev(CATALOGUE, META)
    const text = formatSnapshot(snapshot)
    expect(JSON.parse(text)).toEqual(snapshot)
    expect(text.split('\n').filter(line => line.includes('"cost"'))).toHaveLength(4)
  })
})

describe('the bundled snapshot', () => {
  const snapshot = bundledSnapshot()
  const count = (s: ModelsDevSnapshot): number => Object.values(s.providers).reduce((sum, p) => sum + Object.keys(p.models).length, 0)

  it('says where it came from and holds hundreds of priced models', () => {
    expect(snapshot.source).toContain('models.dev')
    expect(Number.isNaN(Date.parse(snapshot.generatedAt))).toBe(false)
    expect(count(snapshot)).toBeGreaterThan(500)
    expect(snapshot.providers.openai?.models['gpt-4o']?.cost).toEqual({ input: 2.5, output: 10, cache_read: 1.25 })
    expect(snapshot.providers.anthropic?.models['claude-sonnet-4-20250514']?.cost).toEqual({ input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 })
  })

  it('is exactly what the reducer makes of it (the committed file went through the same code path)', () => {
    const again = reduceModelsDev(snapshot.providers, snapshot)
    expect(again).toEqual(snapshot)
    expect(readFileSync(new URL('./models-dev-snapshot.json', import.meta.url), 'utf8')).toBe(formatSnapshot(again))
  })
})
