/**
 * Every ordered pair, both ways: an upstream U answers with tool calls (and reasoning); the
 * client C gets it (stream or body), replays the turn with one result per call, and the request
 * built for U from C's replay must be one U accepts, hold U's own tool call ids (§7 invariant 3)
 * and give back U's reasoning artefacts byte-identical where C can carry them (invariant 5).
 */
import { describe, expect, it } from 'vitest'
import type { Protocol } from './canonical/request'
import type { StreamEvent } from './canonical/stream-event'
import { SKIP_SIGNATURE } from './protocols/gemini/build-contents'
import { parseSseBlock } from './sse'
import { isJson, type Json } from '../testing/client-answers'
import { followUp } from '../testing/client-follow-up'
import { assembleStream } from '../testing/client-streams'
import { fixture } from '../testing/conversion-fixtures'
import { adapters, buildUpstream, CLIENT_MODEL, clientRequest, convertBody, convertStream, PAIRS } from '../testing/conversion-relay'
import { checkUpstreamRequest, upstreamArtefacts, upstreamCallIds } from '../testing/upstream-request-checks'

interface Trip {
  upstream: Protocol
  kind: 'stream' | 'body'
  file: string
  /** U's reasoning artefacts as U's request must carry them back (upstreamArtefacts shape). */
  reasoning: Json[]
  /** Gemini: the thoughtSignature each functionCall part must carry back. */
  calls: string[]
}

const RESPONSES_REASONING = [
  { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Planning**\n\nCheck the weather.\n\n**Two cities**' }], encrypted_content: 'gAAAAABowPCj-ENCRYPTED-0123456789abcdef==' }
]

const TRIPS: readonly Trip[] = [
  { upstream: 'openai-chat', kind: 'stream', file: 'stream-parallel-tools.sse', reasoning: [], calls: [] },
  { upstream: 'openai-chat', kind: 'stream', file: 'stream-interleaved-tools.sse', reasoning: [], calls: [] },
  { upstream: 'openai-chat', kind: 'stream', file: 'stream-kimi-ids.sse', reasoning: [], calls: [] },
  { upstream: 'openai-chat', kind: 'body', file: 'response-tools.json', reasoning: [], calls: [] },
  { upstream: 'openai-responses', kind: 'stream', file: 'upstream-reasoning-text-tools.sse', reasoning: RESPONSES_REASONING, calls: [] },
  { upstream: 'openai-responses', kind: 'body', file: 'upstream-response.json', reasoning: RESPONSES_REASONING, calls: [] },
  {
    upstream: 'anthropic',
    kind: 'stream',
    file: 'upstream-thinking-tools.sse',
    reasoning: [{ type: 'thinking', thinking: 'The user wants two files read.', signature: 'EuYBCkQYAiJAsig-upstream-1==' }],
    calls: []
  },
  { upstream: 'anthropic', kind: 'stream', file: 'upstream-server-tools.sse', reasoning: [{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3redacted==' }], calls: [] },
  {
    upstream: 'anthropic',
    kind: 'body',
    file: 'upstream-message.json',
    reasoning: [
      { type: 'thinking', thinking: 'Check the weather tool.', signature: 'EqMBsig-full==' },
      { type: 'redacted_thinking', data: 'EmwKredacted-full==' }
    ],
    calls: []
  },
  { upstream: 'gemini', kind: 'stream', file: 'stream-parallel-calls.sse', reasoning: [], calls: ['CiwBVKhc7sig-call-one==', SKIP_SIGNATURE] },
  {
    upstream: 'gemini',
    kind: 'body',
    file: 'response-tools.json',
    reasoning: [{ text: 'I need the file first.', thoughtSignature: 'EtQBCtEBAdHtim9thought==' }],
    calls: ['EtQBCtEBAdHtim9call==', SKIP_SIGNATURE]
  }
]

/** The tool call ids U's own adapter reads out of its payload (ids it minted or the relay made for it). */
function upstreamIds(trip: Trip): string[] {
  const { upstream } = adapters[trip.upstream]
  const payload = fixture(trip.upstream, trip.file)
  if (trip.kind === 'body') return upstream.decodeResponse(JSON.parse(payload)).parts.flatMap(p => (p.type === 'tool_call' ? [p.id] : []))
  const decoder = upstream.streamDecoder()
  const events: StreamEvent[] = payload.split(/\r?\n\r?\n/).flatMap(block => {
    const event = parseSseBlock(block)
    return event === null ? [] : decoder.push(event)
  })
  return events.flatMap(e => (e.type === 'tool_call_start' ? [e.id] : []))
}

/** C's answer to U's payload, as C's client keeps it. */
function clientAnswer(trip: Trip, client: Protocol): Json {
  const payload = fixture(trip.upstream, trip.file)
  if (trip.kind === 'body') {
    const body = convertBody(trip.upstream, client, JSON.parse(payload))
    return isJson(body) ? body : {}
  }
  return assembleStream(client, convertStream(trip.upstream, client, payload, clientRequest(client, { streamUsage: true }))).body
}

describe.each(PAIRS)('round trip: $upstream upstream → $client client → $upstream upstream', ({ upstream, client }) => {
  for (const trip of TRIPS.filter(t => t.upstream === upstream)) {
    it(`${trip.kind} ${trip.file}: ids and artefacts come back to the upstream`, () => {
      const replay = followUp(client, clientAnswer(trip, client))
      const request = adapters[client].client.parseRequest(replay, { model: CLIENT_MODEL, stream: false })
      const body = buildUpstream(upstream, request)
      checkUpstreamRequest(upstream, body)
      const ids = upstreamIds(trip)
      expect(ids.length).toBeGreaterThan(0)
      expect(upstreamCallIds(upstream, body)).toEqual(ids)
      const artefacts = upstreamArtefacts(upstream, body)
      // A Chat client has no field for reasoning artefacts; call-borne ones ride in its tool call ids.
      expect(artefacts.reasoning).toEqual(client === 'openai-chat' ? [] : trip.reasoning)
      expect(artefacts.calls).toEqual(trip.calls)
      // Anthropic keeps thinking on only when the open tool loop starts with its own signed block.
      if (upstream === 'anthropic') expect(body.thinking !== undefined).toBe(client !== 'openai-chat')
    })
  }
})
