/**
 * Every ordered pair of different protocols, streaming: recorded upstream streams of U go through
 * the relay's conversion (`conversionStream` with U's decoder and C's encoder), whole and cut into
 * random small pieces, and C's stream must follow C's format rules and carry U's content.
 */
import { describe, expect, it } from 'vitest'
import { checkClientStream } from '../testing/client-stream-checks'
import { readStream } from '../testing/client-streams'
import { expectContent } from '../testing/conversion-expect'
import { fixture, STREAMS } from '../testing/conversion-fixtures'
import { sseFrames } from '../testing/client-streams'
import { CLIENT_MODEL, clientRequest, convertStream, PAIRS, randomPieces, relayTransform } from '../testing/conversion-relay'

describe.each(PAIRS)('stream: $upstream upstream → $client client', ({ upstream, client }) => {
  // Only Chat clients choose whether usage is streamed; both choices are tried.
  const usageChoices = client === 'openai-chat' ? [true, false] : [true]
  for (const scenario of STREAMS.filter(s => s.upstream === upstream)) {
    for (const streamUsage of usageChoices) {
      const label = client === 'openai-chat' ? `${scenario.name} (include_usage ${String(streamUsage)})` : scenario.name
      it(label, () => {
        const sse = fixture(upstream, scenario.file)
        const request = clientRequest(client, { streamUsage })
        const out = convertStream(upstream, client, sse, request)
        // The network cuts the bytes anywhere; the client must get the very same stream.
        for (const seed of [1, 2, 3]) expect(convertStream(upstream, client, sse, request, randomPieces(seed))).toBe(out)
        expect(convertStream(upstream, client, sse, request, randomPieces(4, 1))).toBe(out)
        // Google ends events with \r\n\r\n; any upstream may.
        expect(convertStream(upstream, client, sse.replaceAll('\n', '\r\n'), request, randomPieces(5))).toBe(out)
        checkClientStream(client, out, { clientModel: CLIENT_MODEL, streamUsage })
        expectContent(readStream(client, out), scenario.expected, client, streamUsage)
      })
    }
  }
})

describe.each(PAIRS.filter(p => p.client === 'gemini'))('stream: $upstream upstream → Gemini client asking for a JSON array', ({ upstream }) => {
  for (const scenario of STREAMS.filter(s => s.upstream === upstream)) {
    it(`${scenario.name}: the same chunks as the SSE stream, as one JSON array`, () => {
      const sse = fixture(upstream, scenario.file)
      const transform = relayTransform(upstream, 'gemini', clientRequest('gemini'), 'json-array')
      const text = randomPieces(9)(Buffer.from(sse)).map(piece => transform.push(piece).toString()).join('') + transform.end().toString()
      const chunks: unknown = JSON.parse(text)
      expect(chunks).toEqual(sseFrames(convertStream(upstream, 'gemini', sse)).map(f => f.json))
    })
  }
})
