import { describe, expect, it } from 'vitest'
import { blockText, parseSseBlock, SseSplitter, sseFrame } from './sse'

/** Feeds `chunks` and returns every block's text, the unterminated rest last. */
function split(chunks: string[]): string[] {
  const splitter = new SseSplitter()
  const out: string[] = []
  for (const chunk of chunks) {
    const blocks = splitter.push(Buffer.from(chunk, 'utf8'))
    if (blocks) for (let i = 0; i < blocks.ends.length; i++) out.push(blockText(blocks, i))
  }
  const rest = splitter.end()
  if (rest) out.push(rest.toString('utf8'))
  return out
}

const STREAM = 'data: {"a":1}\n\nevent: message_start\ndata: {"b":"é✓"}\n\n: keepalive\n\r\ndata: [DONE]\r\n\r\n'
const BLOCKS = ['data: {"a":1}\n\n', 'event: message_start\ndata: {"b":"é✓"}\n\n', ': keepalive\n\r\n', 'data: [DONE]\r\n\r\n']

describe('SseSplitter', () => {
  it('splits at LF LF, CRLF CRLF and mixed blank lines, keeping each block byte for byte', () => {
    expect(split([STREAM])).toEqual(BLOCKS)
  })

  it('gives the same blocks whichever byte the chunks are cut at (multi-byte characters too)', () => {
    const bytes = Buffer.from(STREAM, 'utf8')
    for (let cut = 1; cut < bytes.length; cut++) {
      const splitter = new SseSplitter()
      const got: Buffer[] = []
      for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
        const blocks = splitter.push(part)
        if (blocks) for (let i = 0; i < blocks.ends.length; i++) got.push(blocks.bytes.subarray(i === 0 ? 0 : blocks.ends[i - 1], blocks.ends[i]))
      }
      expect(got.map(b => b.toString('utf8'))).toEqual(BLOCKS)
      expect(splitter.end()).toBeNull()
    }
  })

  it('returns an unterminated last block at the end', () => {
    expect(split(['data: 1\n\ndata: 2'])).toEqual(['data: 1\n\n', 'data: 2'])
  })

  it('forwards a runaway block instead of holding it without bound', () => {
    const splitter = new SseSplitter()
    const huge = Buffer.alloc(9 * 1024 * 1024, 0x61)
    const blocks = splitter.push(huge)
    expect(blocks?.bytes.length).toBe(huge.length)
    expect(splitter.end()).toBeNull()
  })
})

describe('parseSseBlock', () => {
  it('reads event and joins multi-line data; ignores comments', () => {
    expect(parseSseBlock('event: ping\ndata: a\ndata:b\n: note\n\n')).toEqual({ event: 'ping', data: 'a\nb' })
    expect(parseSseBlock(': keepalive\n\n')).toBeNull()
  })

  it('round-trips sseFrame', () => {
    expect(parseSseBlock(sseFrame('message_stop', '{"type":"message_stop"}'))).toEqual({ event: 'message_stop', data: '{"type":"message_stop"}' })
    expect(parseSseBlock(sseFrame(null, '[DONE]'))).toEqual({ event: null, data: '[DONE]' })
  })
})
