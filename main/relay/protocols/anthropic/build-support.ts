/** Canonical request builders shared by the request-building tests. */
import { emptyRequest, type CanonicalRequest, type Message } from '../../canonical/request'
import { buildAnthropicRequest } from './request-build'

/** A 1×1 PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

/** A streaming canonical request saying "hi", with `overrides` applied. */
export const request = (overrides: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  ...emptyRequest('gpt-4o', true),
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  ...overrides
})

/** The Anthropic body for `request(overrides)`. */
export const build = (overrides: Partial<CanonicalRequest> = {}): ReturnType<typeof buildAnthropicRequest> =>
  buildAnthropicRequest(request(overrides), 'claude-sonnet-4-5')

/** Generation settings with `g` applied. */
export const generation = (g: Partial<CanonicalRequest['generation']>): CanonicalRequest['generation'] => ({ ...emptyRequest('m', false).generation, ...g })

/** A function tool taking `{q: string}`. */
export const tool = (name: string): CanonicalRequest['tools'][number] => ({
  name,
  kind: 'function',
  parameters: { type: 'object', properties: { q: { type: 'string' } } }
})

/** A tool loop: the user asks, the assistant (with `reasoning`) calls a tool, the result comes back. */
export const loop = (reasoning: Message['parts']): Message[] => [
  { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
  { role: 'assistant', parts: [...reasoning, { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}', kind: 'function' }] },
  { role: 'user', parts: [{ type: 'tool_result', callId: 'toolu_1', content: [{ type: 'text', text: 'sunny' }], isError: false }] }
]
