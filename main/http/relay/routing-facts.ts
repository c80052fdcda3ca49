import type { Protocol } from '../../relay/canonical/request'
import { bodySession } from './session-key'

/** What routing reads from a client body; the rest waits for the channel that needs it. */
export interface RoutingFacts {
  model: string
  stream: boolean
  streamUsage: boolean
  /** The conversation the body names, for sticky routing (the headers may name one first). */
  session: string | null
}

/** A check of the few fields routing needs: the facts, or one line per bad field. */
export type FactsResult = { ok: true; facts: RoutingFacts } | { ok: false; problems: string[] }

type Body = Record<string, unknown>

/**
 * Hand-written rather than a schema: it runs on every request, reads four fields and copies
 * nothing. Deeper validation is the channel's (pass-through) or the converter's business.
 */
const checks: Record<Exclude<Protocol, 'gemini'>, (body: Body, problems: string[]) => void> = {
  'openai-chat': (body, problems) => {
    if (!Array.isArray(body.messages) || body.messages.length === 0) problems.push('messages: must contain at least one message')
  },
  'openai-responses': (body, problems) => {
    if (typeof body.input !== 'string' && !Array.isArray(body.input)) problems.push('input: must be a string or an array of items')
  },
  anthropic: (body, problems) => {
    if (!Array.isArray(body.messages)) problems.push('messages: must be an array of messages')
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      problems.push('max_tokens: must be a positive integer')
    }
  }
}

/** Routing facts of a Chat, Responses or Anthropic body (model and stream flag live in the body). */
export function bodyFacts(protocol: Exclude<Protocol, 'gemini'>, body: Body): FactsResult {
  const problems: string[] = []
  const { model, stream } = body
  if (typeof model !== 'string' || model.length === 0) problems.push('model: must be a non-empty string')
  checks[protocol](body, problems)
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') problems.push('stream: must be a boolean')
  if (problems.length > 0) return { ok: false, problems }
  const options = body.stream_options
  const streamUsage = typeof options === 'object' && options !== null && (options as Body).include_usage === true
  return { ok: true, facts: { model: model as string, stream: stream === true, streamUsage, session: bodySession(body) } }
}

/** Routing facts of a Gemini call: the model and streaming are in the URL, the body needs `contents`. */
export function geminiFacts(model: string, stream: boolean, body: Body): FactsResult {
  const problems: string[] = []
  if (model.length === 0) problems.push('model: the URL names no model')
  if (!Array.isArray(body.contents)) problems.push('contents: must be an array of contents')
  return problems.length > 0 ? { ok: false, problems } : { ok: true, facts: { model, stream, streamUsage: true, session: null } }
}
