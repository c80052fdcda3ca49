import type { Usage } from '../../canonical/usage'
import type { PassThrough, UsageTap } from '../protocol-adapter'
import { withoutForeignThinking } from './foreign-thinking'
import { isObject, parseJson } from './json'
import { countsToUsage, mergeCounts, NO_COUNTS, usageFromAnthropic } from './usage'

/**
 * Reads usage out of a forwarded Anthropic stream: message_start carries the input side,
 * message_delta the cumulative output (and, on recent API versions, the input side again).
 * Anthropic clients always receive usage, so no event is ever hidden.
 */
function anthropicUsageTap(): UsageTap {
  let counts = NO_COUNTS
  let seen = false
  return {
    marker: '"usage"',
    read: data => {
      const event = parseJson(data)
      if (!isObject(event)) return false
      const raw =
        event.type === 'message_start' && isObject(event.message) ? event.message.usage : event.type === 'message_delta' ? event.usage : undefined
      if (isObject(raw)) {
        counts = mergeCounts(counts, raw)
        seen = true
      }
      return false
    },
    usage: (): Usage | null => (seen ? countsToUsage(counts) : null)
  }
}

/**
 * Anthropic client to Anthropic channel: the model changes, and thinking blocks another provider
 * minted (in a history that crossed providers) are taken out; usage is always in the stream.
 */
export const anthropicPassThrough: PassThrough = {
  prepareBody: (body, model) => ({ ...withoutForeignThinking(body), model }),
  usageOfBody: body => (isObject(body) ? usageFromAnthropic(body.usage) : null),
  usageTap: () => anthropicUsageTap(),
  streamFailure: data => {
    const event = parseJson(data)
    if (!isObject(event) || event.type !== 'error') return null
    return isObject(event.error) && typeof event.error.message === 'string' ? event.error.message : 'upstream stream failed'
  },
  endsComplete: last => {
    const end = last.at(-1)
    if (end === undefined) return false
    if (end.event !== null) return end.event === 'message_stop'
    const event = parseJson(end.data)
    return isObject(event) && event.type === 'message_stop'
  }
}
