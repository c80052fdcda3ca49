import { describe, expect, it } from 'vitest'
import type { Usage } from '../relay/canonical/usage'
import { requestCost, type PricePoint } from './cost'

/** Claude Sonnet's list prices: $3 input, $15 output, $0.30 cache read, $3.75 cache write per 1M tokens. */
const SONNET: PricePoint = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, tiers: [] }

function usage(u: Partial<Usage>): Usage {
  return { inputTotal: 0, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0, ...u }
}

describe('requestCost', () => {
  it('prices each kind of token with its own price', () => {
    expect(requestCost(SONNET, usage({ inputTotal: 1_000_000 }))).toBe(3)
    expect(requestCost(SONNET, usage({ outputTotal: 1_000_000 }))).toBe(15)
    // inputTotal includes the cache: 1M tokens all read from the cache cost only the cache read price.
    expect(requestCost(SONNET, usage({ inputTotal: 1_000_000, cacheRead: 1_000_000 }))).toBe(0.3)
    expect(requestCost(SONNET, usage({ inputTotal: 1_000_000, cacheWrite: 1_000_000 }))).toBe(3.75)
  })

  it('adds the four parts, the plain input being the input minus cache reads and writes', () => {
    // 10 000 input = 5 000 plain + 4 000 cache reads + 1 000 cache writes; 2 000 output:
    // 5000×3 + 4000×0.3 + 1000×3.75 + 2000×15 = 15 000 + 1 200 + 3 750 + 30 000 = 49 950 µ$ → $0.04995
    const cost = requestCost(SONNET, usage({ inputTotal: 10_000, cacheRead: 4_000, cacheWrite: 1_000, outputTotal: 2_000 }))
    expect(cost).toBeCloseTo(0.04995, 12)
  })

  it('charges cache reads and writes at the input price when their price is unknown', () => {
    const u = usage({ inputTotal: 1_000, cacheRead: 400, cacheWrite: 100 })
    // 500×2 + 400×2 + 100×2 = 2 000 µ$
    expect(requestCost({ input: 2, output: 8, cacheRead: null, cacheWrite: null, tiers: [] }, u)).toBeCloseTo(0.002, 12)
    // 500×2 + 400×0.5 + 100×2 = 1 400 µ$
    expect(requestCost({ input: 2, output: 8, cacheRead: 0.5, cacheWrite: null, tiers: [] }, u)).toBeCloseTo(0.0014, 12)
    // 500×2 + 400×2 + 100×2.5 = 2 050 µ$
    expect(requestCost({ input: 2, output: 8, cacheRead: null, cacheWrite: 2.5, tiers: [] }, u)).toBeCloseTo(0.00205, 12)
  })

  it('switches the whole request to the long-context tier once the input exceeds its size', () => {
    const tiered: PricePoint = { ...SONNET, tiers: [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }] }
    // Exactly 200 000 input tokens is not above the threshold: 150 000×3 + 50 000×0.3 + 1 000×15 = 480 000 µ$
    expect(requestCost(tiered, usage({ inputTotal: 200_000, cacheRead: 50_000, outputTotal: 1_000 }))).toBeCloseTo(0.48, 12)
    // One more token and every token costs the tier's price: 150 001×6 + 50 000×0.6 + 1 000×22.5 = 952 506 µ$
    expect(requestCost(tiered, usage({ inputTotal: 200_001, cacheRead: 50_000, outputTotal: 1_000 }))).toBeCloseTo(0.952506, 12)
  })

  it("falls back to the tier's own input price for unknown tier cache prices, and picks the largest tier exceeded", () => {
    const tiers = [
      { aboveInputTokens: 500_000, input: 10, output: 40, cacheRead: null, cacheWrite: null },
      { aboveInputTokens: 200_000, input: 5, output: 20, cacheRead: null, cacheWrite: 6 }
    ]
    const price: PricePoint = { input: 2, output: 8, cacheRead: 0.2, cacheWrite: 2.5, tiers }
    // 300 000 input (100 000 read, 10 000 written) is in the 200k tier: 190 000×5 + 100 000×5 + 10 000×6 + 1 000×20 = 1 530 000 µ$
    expect(requestCost(price, usage({ inputTotal: 300_000, cacheRead: 100_000, cacheWrite: 10_000, outputTotal: 1_000 }))).toBeCloseTo(1.53, 12)
    // 600 000 input is in the 500k tier: 490 000×10 + 100 000×10 + 10 000×10 + 1 000×40 = 6 040 000 µ$
    expect(requestCost(price, usage({ inputTotal: 600_000, cacheRead: 100_000, cacheWrite: 10_000, outputTotal: 1_000 }))).toBeCloseTo(6.04, 12)
  })

  it('does not charge reasoning on top of the output that contains it', () => {
    expect(requestCost(SONNET, usage({ outputTotal: 1_000, reasoning: 800 }))).toBeCloseTo(0.015, 12)
  })

  it('is null, not 0, when tokens were used but no price is known; 0 when no token was used', () => {
    expect(requestCost(null, usage({ inputTotal: 10, outputTotal: 2 }))).toBeNull()
    expect(requestCost(null, usage({ outputTotal: 1 }))).toBeNull()
    expect(requestCost(null, usage({}))).toBe(0)
    expect(requestCost(SONNET, usage({}))).toBe(0)
  })
})
