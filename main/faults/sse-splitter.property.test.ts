import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blockText, parseSseBlock, SseSplitter, sseFrame } from '../relay/sse'

/** Feeds `chunks` to a splitter; returns the blocks' texts and the bytes it gave back, rest included. */
function feed(chunks: readonly Buffer[]): { blocks: string[]; bytes: Buffer } {
  const splitter = new SseSplitter()
  const blocks: string[] = []
  const out: Buffer[] = []
  for (const chunk of chunks) {
    const got = splitter.push(chunk)
    if (got === null) continue
    out.push(got.bytes)
    for (let i = 0; i < got.ends.length; i++) blocks.push(blockText(got, i))
  }
  const rest = splitter.end()
  if (rest !== null) out.push(rest)
  return { blocks, bytes: Buffer.concat(out) }
}

/** Cuts `bytes` at the given positions (taken modulo its length, so any numbers are valid cuts). */
function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map(n => (bytes.length === 0 ? 0 : n % (bytes.length + 1))))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let from = 0
  for (const p of points) {
    parts.push(bytes.subarray(from, p))
    from = p
  }
  parts.push(bytes.subarray(from))
  return parts
}

/** An SSE event as a provider would write it: optional name, one-line JSON-ish data, LF or CRLF framing, comments. */
const eventArb = fc.record({
  event: fc.option(fc.stringMatching(/^[a-z_.]{1,20}$/), { nil: null }),
  data: fc.string({ unit: 'grapheme', maxLength: 60 }).map(s => s.replace(/[\r\n]/g, ' ')),
  crlf: fc.boolean(),
  comment: fc.boolean()
})
const streamArb = fc.array(eventArb, { maxLength: 20 })
const cutsArb = fc.array(fc.nat(), { maxLength: 30 })

describe('SSE splitter properties', () => {
  it('gives the same events however the stream is chunked', () => {
    fc.assert(
      fc.property(streamArb, cutsArb, (events, cuts) => {
        const text = events
          .map(e => {
            const frame = (e.comment ? ': keepalive\n' : '') + sseFrame(e.event, e.data)
            return e.crlf ? frame.replace(/\n/g, '\r\n') : frame
          })
          .join('')
        const bytes = Buffer.from(text, 'utf8')
        const whole = feed([bytes])
        const chunked = feed(cut(bytes, cuts))
        expect(chunked.blocks).toEqual(whole.blocks)
        const parsed = chunked.blocks.map(parseSseBlock).filter(e => e !== null)
        expect(parsed).toEqual(events.map(e => ({ event: e.event, data: e.data })))
      }),
      { numRuns: 500 }
    )
  })

  it('never throws on arbitrary bytes, loses none and finds the same block ends whatever the chunking', () => {
    // Bytes biased towards CR and LF, so blank lines (and their halves at chunk edges) are common.
    const byteArb = fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x3a), fc.integer({ min: 0, max: 255 }))
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 300 }), cutsArb, (raw, cuts) => {
        const bytes = Buffer.from(raw)
        const whole = feed([bytes])
        const chunked = feed(cut(bytes, cuts))
        expect(chunked.bytes.equals(bytes)).toBe(true)
        expect(chunked.blocks).toEqual(whole.blocks)
        for (const block of chunked.blocks) expect(() => parseSseBlock(block)).not.toThrow()
      }),
      { numRuns: 1000 }
    )
  })
})
