import type { Usage } from '../../canonical/usage'
import type { SseEvent } from '../../sse'
import type { PassThrough, UsageTap } from '../protocol-adapter'
import { isUsageOnlyChunk } from './endpoint'
import { isRecord, parseJson } from './guards'
import { usageFromChat } from './usage'

/** The client's body for a Chat upstream: the channel's model, and usage always asked for in a stream (Cuttle bills from it). */
export function prepareChatBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  if (!stream) return { ...body, model }
  const options = isRecord(body.stream_options) ? body.stream_options : {}
  return { ...body, model, stream_options: { ...options, include_usage: true } }
}

/** Usage of a non-streamed `chat.completion` body. */
export function usageOfChatBody(body: unknown): Usage | null {
  return isRecord(body) ? usageFromChat(body.usage) : null
}

/** Reads usage from the chunks that mention it; hides the usage-only chunk from a client that did not ask for it. */
export function chatUsageTap(clientWantsUsage: boolean): UsageTap {
  let seen: Usage | null = null
  return {
    marker: '"usage"',
    read(data: string): boolean {
      const chunk = parseJson(data)
      const usage = isRecord(chunk) ? usageFromChat(chunk.usage) : null
      if (usage !== null) seen = usage
      return !clientWantsUsage && isUsageOnlyChunk(chunk)
    },
    usage: () => seen
  }
}

/** Whether a chunk closes a choice: `finish_reason` set (some servers send `""` on every other chunk). */
function hasFinish(chunk: unknown): boolean {
  return isRecord(chunk) && Array.isArray(chunk.choices) && chunk.choices.some(c => isRecord(c) && typeof c.finish_reason === 'string' && c.finish_reason !== '')
}

/**
 * A whole Chat stream ends with `data: [DONE]`. Some compatible servers never send it: their
 * stream ends with the chunk carrying `finish_reason`, or with the usage chunk right after it.
 */
function chatEndsComplete(last: readonly SseEvent[]): boolean {
  const end = last.at(-1)
  if (end === undefined) return false
  if (end.data.trim() === '[DONE]') return true
  const chunk = parseJson(end.data)
  if (hasFinish(chunk)) return true
  const before = last.at(-2)
  return before !== undefined && isRecord(chunk) && isRecord(chunk.usage) && !hasChoices(chunk) && hasFinish(parseJson(before.data))
}

/** Whether a chunk has choices (a usage chunk has none, or an empty list). */
function hasChoices(chunk: Record<string, unknown>): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length > 0
}

/** Pass-through for Chat client ⇄ Chat channel. */
export const chatPassThrough: PassThrough = {
  prepareBody: prepareChatBody,
  usageOfBody: usageOfChatBody,
  usageTap: chatUsageTap,
  streamFailure: data => {
    const chunk = parseJson(data)
    if (!isRecord(chunk) || chunk.error === undefined) return null
    return isRecord(chunk.error) && typeof chunk.error.message === 'string' ? chunk.error.message : JSON.stringify(chunk.error)
  },
  endsComplete: chatEndsComplete
}
