import { uncachedInput, type Usage } from '../../canonical/usage'
import { isObject, num } from './json'
import type { WireUsage } from './types'

/** Anthropic's raw counts, kept apart so message_start and message_delta can be merged. */
export interface UsageCounts {
  input: number
  cacheWrite: number
  cacheRead: number
  output: number
  thinking: number
}

/** Counts before any usage arrived. */
export const NO_COUNTS: UsageCounts = { input: 0, cacheWrite: 0, cacheRead: 0, output: 0, thinking: 0 }

const count = (value: unknown): number => {
  const n = num(value)
  return n !== undefined && n > 0 ? Math.floor(n) : 0
}

/**
 * `raw` (a usage object of message_start, message_delta or a Message) laid over `previous`.
 * Only non-zero counts override: message_delta repeats the input side on recent API versions,
 * but some upstreams send zeros there, which must not erase message_start's counts (§4 case 6).
 */
export function mergeCounts(previous: UsageCounts, raw: unknown): UsageCounts {
  if (!isObject(raw)) return previous
  const details = isObject(raw.output_tokens_details) ? raw.output_tokens_details : {}
  const pick = (current: number, value: unknown): number => count(value) || current
  return {
    input: pick(previous.input, raw.input_tokens),
    cacheWrite: pick(previous.cacheWrite, raw.cache_creation_input_tokens),
    cacheRead: pick(previous.cacheRead, raw.cache_read_input_tokens),
    output: pick(previous.output, raw.output_tokens),
    thinking: pick(previous.thinking, details.thinking_tokens)
  }
}

/** Canonical usage: the true prompt size is input + cache writes + cache reads (§3.3). */
export function countsToUsage(counts: UsageCounts): Usage {
  return {
    inputTotal: counts.input + counts.cacheWrite + counts.cacheRead,
    cacheRead: counts.cacheRead,
    cacheWrite: counts.cacheWrite,
    outputTotal: counts.output,
    reasoning: counts.thinking
  }
}

/** Reads an Anthropic `usage` object; null when there is none. */
export function usageFromAnthropic(raw: unknown): Usage | null {
  return isObject(raw) ? countsToUsage(mergeCounts(NO_COUNTS, raw)) : null
}

/** Canonical usage as an Anthropic client reads it: `input_tokens` never includes cache counts (§4 case 7). */
export function usageToAnthropic(usage: Usage): WireUsage {
  return {
    input_tokens: uncachedInput(usage),
    output_tokens: usage.outputTotal,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead
  }
}
