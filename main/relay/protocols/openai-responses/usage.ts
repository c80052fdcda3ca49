import type { Usage } from '../../canonical/usage'
import { isObject, type ResponseUsage } from './types'

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0)

/** Reads a Responses `usage` object; null when there is none. */
export function usageFromResponses(raw: unknown): Usage | null {
  if (!isObject(raw)) return null
  const input = isObject(raw.input_tokens_details) ? raw.input_tokens_details : {}
  const output = isObject(raw.output_tokens_details) ? raw.output_tokens_details : {}
  return {
    inputTotal: count(raw.input_tokens),
    cacheRead: count(input.cached_tokens),
    cacheWrite: count(input.cache_write_tokens),
    outputTotal: count(raw.output_tokens),
    reasoning: count(output.reasoning_tokens)
  }
}

/**
 * Canonical usage as a Responses `usage` object. Both details objects are always present and
 * complete: Codex fails the whole turn ("failed to parse ResponseCompleted") when a details
 * object lacks `cached_tokens` / `reasoning_tokens`.
 */
export function usageToResponses(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.inputTotal,
    input_tokens_details: { cached_tokens: usage.cacheRead, cache_write_tokens: usage.cacheWrite },
    output_tokens: usage.outputTotal,
    output_tokens_details: { reasoning_tokens: usage.reasoning },
    total_tokens: usage.inputTotal + usage.outputTotal
  }
}
