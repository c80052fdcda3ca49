import type { Usage } from '../../canonical/usage'
import { num } from './read'
import type { WireUsageMetadata } from './types'

const count = (value: number | undefined): number => (value !== undefined && value > 0 ? Math.floor(value) : 0)

/**
 * `usageMetadata` → canonical (docs/protocols.md §3.3, §4 case 13): tool-use prompt tokens are
 * input, thoughts are output (Gemini keeps them out of candidatesTokenCount). Null when absent.
 */
export function usageFromGemini(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null
  const thoughts = count(num(raw, 'thoughtsTokenCount'))
  return {
    inputTotal: count(num(raw, 'promptTokenCount')) + count(num(raw, 'toolUsePromptTokenCount')),
    cacheRead: count(num(raw, 'cachedContentTokenCount')),
    cacheWrite: 0,
    outputTotal: count(num(raw, 'candidatesTokenCount')) + thoughts,
    reasoning: thoughts
  }
}

/** Canonical usage → `usageMetadata` for a Gemini client. */
export function usageToGemini(usage: Usage): WireUsageMetadata {
  const reasoning = Math.min(usage.reasoning, usage.outputTotal)
  const out: WireUsageMetadata = {
    promptTokenCount: usage.inputTotal,
    candidatesTokenCount: usage.outputTotal - reasoning,
    totalTokenCount: usage.inputTotal + usage.outputTotal
  }
  if (usage.cacheRead > 0) out.cachedContentTokenCount = usage.cacheRead
  if (reasoning > 0) out.thoughtsTokenCount = reasoning
  return out
}
