/**
 * Every ordered pair, request side: a realistic request of client protocol C (Claude Code,
 * Codex, an agent on Chat, a Gemini CLI history) parsed to canonical and built for upstream U
 * must be one U accepts (§7 invariants 4, 5, 7), with the client's tool call ids unchanged.
 */
import { describe, expect, it } from 'vitest'
import { emptyRequest, type CanonicalRequest, type Protocol } from './canonical/request'
import { RelayError } from './relay-errors'
import { fixture } from '../testing/conversion-fixtures'
import { adapters, buildUpstream, CLIENT_MODEL, PAIRS, PROTOCOLS } from '../testing/conversion-relay'
import { checkUpstreamRequest, upstreamCallIds } from '../testing/upstream-request-checks'

/** A recorded-style request of each client. */
const REQUESTS: Readonly<Record<Protocol, string[]>> = {
  'openai-chat': ['request-agent.json'],
  'openai-responses': ['codex-request.json'],
  anthropic: ['claude-code-request.json'],
  gemini: ['request-camel.json', 'request-snake.json']
}

describe.each(PAIRS)('request: $client client → $upstream upstream', ({ upstream, client }) => {
  for (const file of REQUESTS[client]) {
    it(`${file} is built into a body the upstream accepts, tool call ids kept`, () => {
      const request = adapters[client].client.parseRequest(JSON.parse(fixture(client, file)), { model: CLIENT_MODEL, stream: true })
      const body = buildUpstream(upstream, request)
      checkUpstreamRequest(upstream, body)
      const ids = request.messages.flatMap(m => m.parts.flatMap(p => (p.type === 'tool_call' ? [p.id] : [])))
      expect(ids.length).toBeGreaterThan(1)
      expect(upstreamCallIds(upstream, body)).toEqual(ids)
    })
  }
})

describe('§7 invariant 4: a history with an unanswered call and a result no call asked for', () => {
  const call = (id: string) => ({ type: 'tool_call' as const, id, name: 'lookup', arguments: '{"q":1}', kind: 'function' as const })
  const result = (callId: string, text: string) => ({ type: 'tool_result' as const, callId, content: [{ type: 'text' as const, text }], isError: false })
  const broken: CanonicalRequest = {
    ...emptyRequest(CLIENT_MODEL, false),
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Look both up.' }] },
      { role: 'assistant', parts: [call('call_a'), call('call_b')] },
      { role: 'user', parts: [result('call_a', 'A'), { type: 'text', text: 'Stop, that is enough.' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Stopped.' }] },
      // A result whose call a trimmed history lost.
      { role: 'user', parts: [result('call_lost', 'late answer'), { type: 'text', text: 'And now?' }] },
      { role: 'assistant', parts: [call('call_c')] }
    ]
  }

  it.each(PROTOCOLS)('is repaired before it reaches a %s upstream, nothing the user said lost', upstream => {
    const body = buildUpstream(upstream, broken)
    checkUpstreamRequest(upstream, body)
    expect(upstreamCallIds(upstream, body)).toEqual(['call_a', 'call_b', 'call_c'])
    const json = JSON.stringify(body)
    for (const kept of ['Stop, that is enough.', 'late answer', 'And now?']) expect(json).toContain(kept)
  })
})

describe('§3.5 item 14: several choices (n > 1) from a Chat client', () => {
  const request = adapters['openai-chat'].client.parseRequest({ messages: [{ role: 'user', content: 'Name a colour.' }], n: 3 }, { model: CLIENT_MODEL, stream: false })

  it.each(['openai-responses', 'anthropic'] as const)('are refused with a 400 by a %s channel, which returns one answer', upstream => {
    expect(() => buildUpstream(upstream, request)).toThrow(RelayError)
    expect(() => buildUpstream(upstream, request)).toThrow(/n > 1/)
  })
})
