import type { PriceTier } from '@shared/dto/price'
import { uncachedInput, type Usage } from '../relay/canonical/usage'

/** A price in USD per million tokens; null cache prices fall back to the input price. */
export interface PricePoint {
  input: number
  output: number
  cacheRead: number | null
  cacheWrite: number | null
  tiers: readonly PriceTier[]
}

/**
 * The cost of one request in USD. Plain input, cache reads, cache writes and output are priced
 * apart (a cache price falls back to the input price); when the input (cache included) exceeds a
 * tier's size, that tier's prices apply to the whole request, as Anthropic and Google bill long
 * contexts. A request without tokens costs 0; one with tokens but no price costs null (unknown),
 * never a silent 0.
 */
export function requestCost(price: PricePoint | null, usage: Usage): number | null {
  if (usage.inputTotal + usage.outputTotal === 0) return 0
  if (price === null) return null
  const rates = ratesFor(price, usage.inputTotal)
  const micro =
    uncachedInput(usage) * rates.input +
    usage.cacheRead * (rates.cacheRead ?? rates.input) +
    usage.cacheWrite * (rates.cacheWrite ?? rates.input) +
    usage.outputTotal * rates.output
  return micro / 1e6
}

/** The base prices, or those of the largest tier the input exceeds. */
function ratesFor(price: PricePoint, inputTotal: number): Omit<PricePoint, 'tiers'> {
  let chosen: Omit<PricePoint, 'tiers'> = price
  let size = 0
  for (const tier of price.tiers) {
    if (inputTotal > tier.aboveInputTokens && tier.aboveInputTokens > size) {
      chosen = tier
      size = tier.aboveInputTokens
    }
  }
  return chosen
}
