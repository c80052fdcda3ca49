import type { Usage } from '../../canonical/usage'
import type { PassThrough, UsageTap } from '../protocol-adapter'
import { isObject, parseJson } from './types'
import { usageFromResponses } from './usage'

/** The events that end a whole stream; their `response.usage` is the turn's final usage. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/**
 * Responses client to Responses channel: only the model changes. Usage is always in a Responses
 * stream's terminal event, so nothing has to be asked for and nothing is ever hidden.
 */
export const responsesPassThrough: PassThrough = {
  prepareBody: (body, model) => ({ ...body, model }),
  usageOfBody: body => (isObject(body) ? usageFromResponses(body.usage) : null),
  usageTap: () => new ResponsesUsageTap(),
  streamFailure: data => {
    const event = parseJson(data)
    if (!isObject(event)) return null
    const error = event.type === 'response.failed' && isObject(event.response) ? event.response.error : event.type === 'error' ? event : undefined
    if (!isObject(error)) return null
    return typeof error.message === 'string' ? error.message : `upstream stream failed (${String(event.type)})`
  },
  // The terminal event is named in its `event:` line; its data (the whole response) is parsed only when that line is missing.
  endsComplete: last => {
    const end = last.at(-1)
    if (end === undefined) return false
    if (end.event !== null) return TERMINAL.has(end.event)
    const event = parseJson(end.data)
    return isObject(event) && typeof event.type === 'string' && TERMINAL.has(event.type)
  }
}

/** Reads the usage out of the terminal event; every event reaches the client. */
class ResponsesUsageTap implements UsageTap {
  readonly marker = '"usage"'
  private found: Usage | null = null

  read(data: string): boolean {
    const event = parseJson(data)
    if (!isObject(event) || typeof event.type !== 'string' || !TERMINAL.has(event.type) || !isObject(event.response)) return false
    const usage = usageFromResponses(event.response.usage)
    if (usage !== null) this.found = usage
    return false
  }

  usage(): Usage | null {
    return this.found
  }
}
