/**
 * Token usage in one shape for every protocol (docs/protocols.md §3.3): totals include cache
 * reads and writes, as OpenAI counts them; Anthropic's `input_tokens` is derived from these.
 */
export interface Usage {
  inputTotal: number
  cacheRead: number
  cacheWrite: number
  outputTotal: number
  reasoning: number
}

/** Usage when the upstream reported none. */
export const NO_USAGE: Usage = { inputTotal: 0, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0 }

/** Input tokens that were neither read from nor written to a cache (what the plain input price applies to). */
export function uncachedInput(usage: Usage): number {
  return Math.max(0, usage.inputTotal - usage.cacheRead - usage.cacheWrite)
}
