/** Checks on Anthropic client streams shared by the encoder tests (§7 invariant 2). */
import { expect } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import type { Frame } from './test-support'

/** The frame types in order, with the block index where there is one. */
export const shape = (frames: Frame[]): string[] =>
  frames.map(f => {
    const delta = f.data.delta as { type?: string } | undefined
    const block = f.data.content_block as { type?: string } | undefined
    const index = typeof f.data.index === 'number' ? `@${f.data.index}` : ''
    return `${f.event}${index}${block?.type ? `:${block.type}` : ''}${f.event === 'content_block_delta' && delta?.type ? `:${delta.type}` : ''}`
  })

/** §7 invariant 2: named frames, contiguous indices, one open block, deltas only to it. */
export function checkInvariants(frames: Frame[]): void {
  let open: number | null = null
  let next = 0
  for (const frame of frames) {
    expect(frame.event).toBe(frame.data.type)
    if (frame.event === 'content_block_start') {
      expect(open).toBeNull()
      expect(frame.data.index).toBe(next)
      open = next++
    } else if (frame.event === 'content_block_delta') {
      expect(frame.data.index).toBe(open)
    } else if (frame.event === 'content_block_stop') {
      expect(frame.data.index).toBe(open)
      open = null
    } else if (frame.event === 'message_delta' || frame.event === 'message_stop') {
      expect(open).toBeNull()
    }
  }
  expect(frames[0]?.event).toBe('message_start')
}

/** The partial_json of every tool_use block, concatenated and parsed. */
export function toolInputs(frames: Frame[]): Array<{ id: unknown; input: unknown }> {
  const blocks = new Map<number, { id: unknown; json: string }>()
  for (const f of frames) {
    const index = typeof f.data.index === 'number' ? f.data.index : -1
    const block = f.data.content_block as { type?: string; id?: string } | undefined
    if (f.event === 'content_block_start' && block?.type === 'tool_use') blocks.set(index, { id: block.id, json: '' })
    const delta = f.data.delta as { type?: string; partial_json?: string } | undefined
    const tool = blocks.get(index)
    if (f.event === 'content_block_delta' && delta?.type === 'input_json_delta' && tool) tool.json += delta.partial_json ?? ''
  }
  return [...blocks.values()].map(b => ({ id: b.id, input: JSON.parse(b.json === '' ? '{}' : b.json) as unknown }))
}

/** The `start` a Chat upstream's decoder would emit. */
export const start: StreamEvent = { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' }
