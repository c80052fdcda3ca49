import { describe, expect, it } from 'vitest'
import type { PriceRecord } from '../store/records'
import { PriceBook } from './price-book'

let nextId = 1

/** A price whose input price tells the tests which row was picked. */
function dev(provider: string, model: string, input: number): PriceRecord {
  return { id: nextId++, model, source: 'models.dev', channelId: null, provider, input, output: input * 5, cacheRead: null, cacheWrite: null, tiers: [], updatedAt: 0 }
}

function user(model: string, input: number): PriceRecord {
  return { ...dev('', model, input), source: 'user', provider: null }
}

function channel(channelId: number, model: string, input: number): PriceRecord {
  return { ...dev('', model, input), source: 'channel', provider: null, channelId }
}

/** The input price of what the book resolves, and how models.dev matched. */
function picked(book: PriceBook, ...args: Parameters<PriceBook['price']>): [number, string | null] | null {
  const resolved = book.price(...args)
  return resolved ? [resolved.price.input, resolved.match] : null
}

describe('PriceBook priority', () => {
  const book = new PriceBook([dev('openai', 'gpt-4.1', 2), user('gpt-4.1', 1.5), channel(7, 'gpt-4.1', 1), channel(8, 'other', 9)])

  it('takes the price of the channel, then the user price, then models.dev', () => {
    expect(picked(book, 7, 'openai-chat', 'gpt-4.1')).toEqual([1, null])
    // Channel 8 has prices, but not for this model; channel 9 has none.
    expect(picked(book, 8, 'openai-chat', 'gpt-4.1')).toEqual([1.5, null])
    expect(picked(book, 9, 'openai-chat', 'gpt-4.1')).toEqual([1.5, null])
    expect(picked(new PriceBook([dev('openai', 'gpt-4.1', 2), channel(7, 'gpt-4.1', 1)]), 9, 'openai-chat', 'gpt-4.1')).toEqual([2, 'exact'])
  })

  it('uses no channel price without a channel, and answers null for an unknown model', () => {
    expect(picked(book, null, null, 'gpt-4.1')).toEqual([1.5, null])
    expect(book.price(7, 'openai-chat', 'no-such-model')).toBeNull()
  })
})

describe('PriceBook provider choice', () => {
  // One id at several providers, listed in an order that is none of the expected ones.
  const book = new PriceBook([
    dev('amazon-bedrock', 'claude-x', 3.5),
    dev('google-vertex-anthropic', 'claude-x', 3.3),
    dev('anthropic', 'claude-x', 3),
    dev('openai', 'shared-model', 2),
    dev('google', 'shared-model', 1),
    dev('togetherai', 'llama-x', 0.9),
    dev('groq', 'llama-x', 0.8),
    dev('deepinfra', 'llama-x', 0.7),
    dev('openrouter', 'deepseek-chat', 0.3),
    dev('deepseek', 'deepseek-chat', 0.27)
  ])

  it("prefers the provider of the channel's type", () => {
    expect(picked(book, 1, 'anthropic', 'claude-x')).toEqual([3, 'exact'])
    expect(picked(book, 1, 'gemini', 'shared-model')).toEqual([1, 'exact'])
    expect(picked(book, 1, 'openai-chat', 'shared-model')).toEqual([2, 'exact'])
    expect(picked(book, 1, 'openai-responses', 'shared-model')).toEqual([2, 'exact'])
  })

  it('else takes a model maker listing the id (openai, anthropic, google, then the others), else the first provider by id', () => {
    expect(picked(book, 1, 'openai-chat', 'claude-x')).toEqual([3, 'exact'])
    expect(picked(book, 1, 'anthropic', 'shared-model')).toEqual([2, 'exact'])
    expect(picked(book, null, null, 'shared-model')).toEqual([2, 'exact'])
    expect(picked(book, 1, 'openai-chat', 'deepseek-chat')).toEqual([0.27, 'exact'])
    // deepinfra < groq < togetherai, whatever order the rows came in.
    expect(picked(book, 1, 'gemini', 'llama-x')).toEqual([0.7, 'exact'])
  })
})

describe('PriceBook model names', () => {
  const book = new PriceBook([
    dev('google', 'gemini-2.5-pro', 1.25),
    dev('anthropic', 'claude-sonnet-4-5', 3),
    dev('anthropic', 'claude-sonnet-4-5-20250929', 3.01),
    dev('anthropic', 'claude-opus-4-20250101', 14),
    dev('anthropic', 'claude-opus-4-20250514', 15),
    dev('openrouter', 'anthropic/claude-sonnet-4.5', 3.1),
    dev('openai', 'gpt-4o', 2.5),
    dev('anthropic', 'claude-sonnet-4-20250514', 3.02),
    dev('opencode', 'claude-sonnet-4', 3.03),
    user('My-Model', 0.5)
  ])

  it('compares lower case, without a models/ or vendor/ prefix', () => {
    expect(picked(book, 1, 'gemini', 'models/Gemini-2.5-Pro')).toEqual([1.25, 'exact'])
    expect(picked(book, 1, 'gemini', 'GEMINI-2.5-PRO')).toEqual([1.25, 'exact'])
    // OpenRouter-style names: the vendor prefix goes on both sides.
    expect(picked(book, 1, 'openai-chat', 'anthropic/claude-sonnet-4.5')).toEqual([3.1, 'exact'])
    expect(picked(book, 1, 'openai-chat', 'anthropic/claude-sonnet-4-5')).toEqual([3, 'exact'])
    expect(picked(book, 1, 'openai-chat', 'claude-sonnet-4.5')).toEqual([3.1, 'exact'])
  })

  it('matches a listed dated id exactly, and strips a trailing date only as a last resort', () => {
    expect(picked(book, 1, 'anthropic', 'claude-sonnet-4-5-20250929')).toEqual([3.01, 'exact'])
    // An unlisted date finds the undated alias before another dated release.
    expect(picked(book, 1, 'anthropic', 'claude-sonnet-4-5-20991231')).toEqual([3, 'without-date-suffix'])
    expect(picked(book, 1, 'openai-chat', 'gpt-4o-2024-11-20')).toEqual([2.5, 'without-date-suffix'])
    expect(picked(book, 1, 'openai-chat', 'gpt-4o-20241120')).toEqual([2.5, 'without-date-suffix'])
    // Without an alias, the newest dated release of the name.
    expect(picked(book, 1, 'anthropic', 'claude-opus-4')).toEqual([15, 'without-date-suffix'])
    // Any provider's exact id comes before stripping dates, even at the channel's own provider.
    expect(picked(book, 1, 'anthropic', 'claude-sonnet-4')).toEqual([3.03, 'exact'])
    // A date-like tail that is not a date format stays.
    expect(book.price(1, 'openai-chat', 'gpt-4o-0806')).toBeNull()
  })

  it('matches user prices by the normalised name, never by stripping a date', () => {
    expect(picked(book, 1, 'openai-chat', 'my-model')).toEqual([0.5, null])
    expect(picked(book, 1, 'openai-chat', 'vendor/MY-MODEL')).toEqual([0.5, null])
    expect(book.price(1, 'openai-chat', 'my-model-20250101')).toBeNull()
  })

  it('answers the same resolution again from memory', () => {
    const first = book.price(1, 'anthropic', 'claude-opus-4')
    expect(book.price(1, 'anthropic', 'claude-opus-4')).toBe(first)
  })
})
