import type { Usage } from '../../canonical/usage'
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

/** Pass-through for Chat client ⇄ Chat channel. */
export const chatPassThrough: PassThrough = {
  prepareBody: prepareChatBody,
  usageOfBody: usageOfChatBody,
  usageTap: chatUsageTap,
  streamFailure: data => {
    const chunk = parseJson(data)
    if (!isRecord(chunk) || chunk.error === undefined) return null
    return isRecord(chunk.error) && typeof chunk.error.message === 'string' ? chunk.error.message : JSON.stringify(chunk.error)
  }
}
