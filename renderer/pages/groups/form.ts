import type { ChannelDto } from '@shared/dto/channel'
import type { ApiError } from '../../api/client'

/**
 * The API's refusal by form field: `members.3.model` belongs to member row 3, `fallback.0` to the
 * fallback field; a name conflict (409) has no field list but is the name's problem.
 */
export function fieldErrors(err: ApiError): Record<string, string> {
  if (err.status === 409) return { name: err.message }
  const out: Record<string, string> = {}
  for (const field of err.fields) {
    const [head = '', index] = field.path.split('.')
    const key = head === 'members' && index !== undefined && /^\d+$/.test(index) ? `members.${index}` : head
    out[key] ??= field.message
  }
  return out
}

/** What a model pattern matches among the channels' models, for the hint under the field. */
export type PatternMatches =
  | { kind: 'empty' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'none' }
  | { kind: 'some'; shown: string[]; more: number }

const SHOWN = 5

/** Same semantics as the server (shared/dto/model-pattern.ts): `new RegExp(pattern)`, tested anywhere. */
export function patternMatches(pattern: string, channels: readonly ChannelDto[]): PatternMatches {
  if (pattern === '') return { kind: 'empty' }
  let regex: RegExp
  try {
    regex = new RegExp(pattern)
  } catch (err) {
    return { kind: 'invalid', reason: err instanceof Error ? err.message : String(err) }
  }
  const found = [...new Set(channels.flatMap(c => c.models))].filter(model => regex.test(model)).sort()
  if (found.length === 0) return { kind: 'none' }
  return { kind: 'some', shown: found.slice(0, SHOWN), more: Math.max(0, found.length - SHOWN) }
}
