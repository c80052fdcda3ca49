import type { Usage } from '../../canonical/usage'
import type { PassThrough, UsageTap } from '../protocol-adapter'
import { field, isRec, parseJson } from './read'
import { usageFromGemini } from './usage'

/** The last usageMetadata of a body, or of a JSON array of chunks. */
function usageOf(body: unknown): Usage | null {
  const chunks = Array.isArray(body) ? body : [body]
  let found: Usage | null = null
  for (const chunk of chunks) if (isRec(chunk)) found = usageFromGemini(field(chunk, 'usageMetadata')) ?? found
  return found
}

/**
 * Gemini client to Gemini channel. The model is in the URL and usage is always in the answer,
 * so the body goes through unchanged; usageMetadata is cumulative, so the last one seen wins.
 */
export const geminiPassThrough: PassThrough = {
  prepareBody: body => body,
  usageOfBody: usageOf,
  usageTap(): UsageTap {
    let usage: Usage | null = null
    return {
      marker: '"usageMetadata"',
      read(data) {
        usage = usageOf(parseJson(data)) ?? usage
        return false
      },
      usage: () => usage
    }
  },
  streamFailure(data) {
    const chunk = parseJson(data)
    const error = isRec(chunk) ? field(chunk, 'error') : undefined
    if (!isRec(error)) return null
    const message = field(error, 'message')
    return typeof message === 'string' ? message : 'upstream stream failed'
  },
  // No terminator: the chunk with a finishReason (or a blocked prompt's blockReason) is the last, or the one before a trailing usage-only chunk.
  endsComplete: last => {
    const end = parseJson(last.at(-1)?.data ?? '')
    if (isFinal(end)) return true
    const before = last.at(-2)
    return before !== undefined && isUsageOnly(end) && isFinal(parseJson(before.data))
  }
}

/** A chunk that only reports usage (no candidates). */
function isUsageOnly(chunk: unknown): boolean {
  return isRec(field(chunk, 'usageMetadata')) && field(chunk, 'candidates') === undefined
}

/** Whether a chunk ends the answer: a candidate with a finishReason, or a prompt blocked outright. */
function isFinal(chunk: unknown): boolean {
  const candidates = field(chunk, 'candidates')
  if (Array.isArray(candidates) && candidates.some(c => typeof field(c, 'finishReason') === 'string')) return true
  return typeof field(field(chunk, 'promptFeedback'), 'blockReason') === 'string'
}
