import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { checkInvariants, shape, start, toolInputs } from './stream-checks'
import { encodeEvents, framesOf } from './test-support'

describe('anthropic stream encoder: tool calls', () => {
  it('streams the first of two interleaved calls and buffers the second until the first is complete (case 4)', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_a', name: 'Read', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{"file' },
        { type: 'tool_call_start', index: 1, id: 'call_b', name: 'Bash', kind: 'function' },
        { type: 'tool_call_delta', index: 1, arguments: '{"comm' },
        { type: 'tool_call_delta', index: 0, arguments: '_path":"/a"}' },
        { type: 'tool_call_delta', index: 1, arguments: 'and":"ls"}' },
        { type: 'finish', stop: 'tool_use' }
      ])
    )
    checkInvariants(frames)
    expect(shape(frames)).toEqual([
      'message_start',
      'content_block_start@0:tool_use',
      'content_block_delta@0:input_json_delta',
      'content_block_delta@0:input_json_delta',
      'content_block_stop@0',
      'content_block_start@1:tool_use',
      'content_block_delta@1:input_json_delta',
      'content_block_delta@1:input_json_delta',
      'content_block_stop@1',
      'message_delta',
      'message_stop'
    ])
    expect(frames[6]?.data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"comm' })
    expect(toolInputs(frames)).toEqual([
      { id: 'call_a', input: { file_path: '/a' } },
      { id: 'call_b', input: { command: 'ls' } }
    ])
  })

  it('closes every call in order at finish when the streaming call never completed', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'tool_call_start', index: 0, id: 'a', name: 'f', kind: 'function' },
        { type: 'tool_call_start', index: 1, id: 'b', name: 'g', kind: 'function' },
        { type: 'tool_call_start', index: 2, id: 'c', name: 'h', kind: 'function' },
        { type: 'tool_call_delta', index: 2, arguments: '{"z":3}' },
        { type: 'tool_call_delta', index: 1, arguments: '{"y":2}' },
        { type: 'tool_call_delta', index: 0, arguments: '{"x":' },
        { type: 'finish', stop: 'tool_use' }
      ])
    )
    checkInvariants(frames)
    expect(shape(frames).filter(s => s.startsWith('content_block_start'))).toEqual([
      'content_block_start@0:tool_use',
      'content_block_start@1:tool_use',
      'content_block_start@2:tool_use'
    ])
    const blocks = frames.filter(f => f.event === 'content_block_delta').map(f => [f.data.index, (f.data.delta as { partial_json?: string }).partial_json])
    expect(blocks).toEqual([
      [0, '{"x":'],
      [1, '{"y":2}'],
      [2, '{"z":3}']
    ])
  })

  it('opens exactly one tool_use block per call index when starts repeat (case 5)', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '1}' },
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f', kind: 'function' },
        { type: 'finish', stop: 'tool_use' }
      ])
    )
    checkInvariants(frames)
    expect(frames.filter(f => f.event === 'content_block_start')).toHaveLength(1)
    expect(toolInputs(frames)).toEqual([{ id: 'call_1', input: { a: 1 } }])
  })

  it('closes a tool block before text that follows it', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'tool_call_start', index: 0, id: 'a', name: 'f', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{}' },
        { type: 'text_delta', text: 'after' },
        { type: 'finish', stop: 'tool_use' }
      ])
    )
    checkInvariants(frames)
    expect(shape(frames).slice(1, 6)).toEqual([
      'content_block_start@0:tool_use',
      'content_block_delta@0:input_json_delta',
      'content_block_stop@0',
      'content_block_start@1:text',
      'content_block_delta@1:text_delta'
    ])
  })

  it('keeps the invariants and every call input over many random interleavings', () => {
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    const args = ['{"path":"/a/b.txt","limit":10}', '{"command":"ls -la && echo done"}', '{"q":{"nested":[1,2,{"x":"}"}]}}']
    for (let round = 0; round < 120; round++) {
      const pieces = args.map(a => {
        const cut: string[] = []
        for (let i = 0; i < a.length; ) {
          const size = 1 + random(6)
          cut.push(a.slice(i, i + size))
          i += size
        }
        return cut
      })
      const events: StreamEvent[] = [start]
      if (random(2) === 0) events.push({ type: 'reasoning_delta', text: 'think' }, { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'sig' } })
      if (random(2) === 0) events.push({ type: 'text_delta', text: 'intro' })
      let started = 0
      for (let guard = 0; guard < 1000 && pieces.some(p => p.length > 0); guard++) {
        const k = random(args.length)
        if (k >= started) {
          if (k === started) events.push({ type: 'tool_call_start', index: started, id: `call_${started}`, name: 'f', kind: 'function' })
          if (k === started) started++
          continue
        }
        const piece = pieces[k]?.shift()
        if (piece !== undefined) events.push({ type: 'tool_call_delta', index: k, arguments: piece })
      }
      events.push({ type: 'finish', stop: 'tool_use' })
      const frames = framesOf(encodeEvents(events))
      checkInvariants(frames)
      expect(toolInputs(frames)).toEqual(args.map((a, i) => ({ id: `call_${i}`, input: JSON.parse(a) as unknown })))
    }
  })
})
