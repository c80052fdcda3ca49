import type { CompletionUsage } from 'openai/resources/completions'
import type { Usage } from '../../canonical/usage'

/**
 * What compatible upstreams add to OpenAI's usage object: Anthropic-style cache counts
 * (LiteLLM), Moonshot's top-level `cached_tokens`, DeepSeek's `prompt_cache_hit_tokens`.
 */
type WireUsage = Partial<CompletionUsage> & {
  cache_read_input_tokens?: number
  cached_tokens?: number
  prompt_cache_hit_tokens?: number
  prompt_tokens_details?: (CompletionUsage['prompt_tokens_details'] & { cache_write_tokens?: number }) | null
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0)

/** Reads a Chat Completions `usage` object (body or stream chunk); null when there is none. */
export function usageFromChat(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null
  const usage = raw as WireUsage
  const details = usage.prompt_tokens_details ?? undefined
  return {
    inputTotal: count(usage.prompt_tokens),
    cacheRead: count(details?.cached_tokens ?? usage.cache_read_input_tokens ?? usage.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWrite: count(details?.cache_write_tokens),
    outputTotal: count(usage.completion_tokens),
    reasoning: count(usage.completion_tokens_details?.reasoning_tokens)
  }
}

/** Canonical usage as a Chat `usage` object (cache write count only when there was one). */
export function usageToChat(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTotal,
    completion_tokens: usage.outputTotal,
    total_tokens: usage.inputTotal + usage.outputTotal,
    prompt_tokens_details: { cached_tokens: usage.cacheRead, ...(usage.cacheWrite > 0 ? { cache_write_tokens: usage.cacheWrite } : {}) },
    completion_tokens_details: { reasoning_tokens: usage.reasoning }
  }
}
