/**
 * Content equality between an upstream answer and what a client of another protocol got out
 * of it: same text and reasoning, same tool calls (names, parsed arguments, ids), same stop
 * class, usage totals conserved (docs/protocols.md §7 invariant 6).
 */
import { expect } from 'vitest'
import { splitId } from '../relay/canonical/opaque'
import type { Protocol } from '../relay/canonical/request'
import { toolIdFromClient } from '../relay/protocols/anthropic/client-tool-ids'
import type { ClientAnswer, ClientUsage } from './client-answers'
import type { Expected, Totals } from './conversion-fixtures'

/**
 * The error type a client of `client` must get for an upstream failure with HTTP `status`
 * (Anthropic `error.type`, OpenAI Chat `error.type`, Codex `response.failed` code, Gemini code).
 */
function expectedErrorTypes(client: Protocol, status: number): string[] {
  const limited = status === 429
  switch (client) {
    case 'anthropic':
      return limited ? ['rate_limit_error'] : status === 529 ? ['overloaded_error'] : ['api_error', 'overloaded_error']
    case 'openai-chat':
      return [limited ? 'rate_limit_error' : 'server_error']
    case 'openai-responses':
      // Codex backs off on rate_limit_exceeded and retries server_error (§2.2).
      return [limited ? 'rate_limit_exceeded' : 'server_error']
    case 'gemini':
      return [String(status)]
  }
}

/**
 * Usage as the client states it equals the upstream's totals: input and output totals always;
 * cache and reasoning counts where the format has a field for them. Anthropic's `input_tokens`
 * excludes cache counts (the reader adds them back), Gemini's output adds thoughts.
 */
function expectUsage(got: ClientUsage | null, want: Totals): void {
  expect(got).not.toBeNull()
  if (got === null) return
  expect({ input: got.input, output: got.output, cacheRead: got.cacheRead }).toEqual({ input: want.input, output: want.output, cacheRead: want.cacheRead })
  if (got.cacheWrite !== undefined) expect(got.cacheWrite).toBe(want.cacheWrite)
  if (got.reasoning !== undefined) expect(got.reasoning).toBe(want.reasoning)
}

/** The client got exactly the upstream's answer. `usageShown`: false for a Chat stream whose client did not ask for usage. */
export function expectContent(answer: ClientAnswer, expected: Expected, client: Protocol, usageShown = true): void {
  expect(answer.text).toBe(expected.text)
  expect(answer.reasoning).toBe(expected.reasoning)
  expect(answer.calls.map(({ name, args }) => ({ name, args }))).toEqual(expected.calls.map(({ name, args }) => ({ name, args })))
  // The id the relay reads back when the client replays the call: artefacts split off, Anthropic's encoding undone.
  const ids = answer.calls.map(call => (client === 'anthropic' ? toolIdFromClient(call.id) : splitId(call.id)).id)
  expected.calls.forEach((call, i) => {
    // The upstream's id, or one the relay made: never empty, never shared by two calls.
    if (call.id !== undefined) expect(ids[i]).toBe(call.id)
  })
  expect(new Set(ids).size).toBe(ids.length)
  for (const id of ids) expect(id).not.toBe('')
  expect(answer.stop).toBe(expected.stop)
  if (expected.error !== undefined) {
    expect(answer.error?.message).toContain(expected.error.message)
    expect(expectedErrorTypes(client, expected.error.status)).toContain(answer.error?.type)
  } else {
    expect(answer.error).toBeUndefined()
  }
  if (expected.usage === null) return
  if (usageShown) expectUsage(answer.usage, expected.usage)
  else expect(answer.usage).toBeNull()
}
