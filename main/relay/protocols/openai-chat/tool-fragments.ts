import { randomBytes } from 'node:crypto'
import type { StreamEvent } from '../../canonical/stream-event'
import { isRecord, num, str } from './guards'

interface Call {
  /** Canonical index, set when the call starts (calls count in the order they started). */
  index: number | null
  id?: string
  name?: string
  kind: 'function' | 'custom'
  /** Arguments that arrived before the name (the call cannot start without it). */
  pending: string
}

const nonEmpty = (value: unknown): string | undefined => {
  const s = str(value)
  return s !== undefined && s !== '' ? s : undefined
}

/** Argument text of a fragment; a few servers send parsed objects instead of JSON text. */
const argumentsOf = (value: unknown): string => (typeof value === 'string' ? value : isRecord(value) ? JSON.stringify(value) : '')

/**
 * Reassembles streamed `tool_calls` fragments into canonical tool call events, keyed by the
 * fragment `index`. Exactly one `tool_call_start` per call even when an upstream repeats id, type
 * and name on every fragment (docs/protocols.md §4 case 5); fragments of several calls may
 * interleave (case 4); a new id on a known index is a new call (servers that put every call at 0).
 */
export class ToolFragments {
  private readonly calls = new Map<number, Call>()
  private started = 0

  /** Whether any call has started. */
  get seen(): boolean {
    return this.started > 0
  }

  /** Events for one fragment; `position` is its place in the chunk's `tool_calls` array. */
  push(fragment: unknown, position: number): StreamEvent[] {
    if (!isRecord(fragment)) return []
    const key = num(fragment.index) ?? position
    const custom = isRecord(fragment.custom) && (str(fragment.custom.name) !== undefined || str(fragment.custom.input) !== undefined)
    const body = custom && isRecord(fragment.custom) ? fragment.custom : isRecord(fragment.function) ? fragment.function : {}
    const id = nonEmpty(fragment.id)
    const args = argumentsOf(custom ? body.input : body.arguments)

    let call = this.calls.get(key)
    if (call === undefined || (id !== undefined && call.id !== undefined && call.id !== id)) {
      call = { index: null, kind: custom ? 'custom' : 'function', pending: '' }
      this.calls.set(key, call)
    }
    call.id ??= id
    call.name ??= nonEmpty(body.name)

    const out: StreamEvent[] = []
    if (call.index === null) {
      if (call.name === undefined) {
        call.pending += args
        return out
      }
      call.index = this.started++
      call.id ??= `call_${randomBytes(12).toString('hex')}`
      out.push({ type: 'tool_call_start', index: call.index, id: call.id, name: call.name, kind: call.kind })
      if (call.pending !== '') out.push({ type: 'tool_call_delta', index: call.index, arguments: call.pending })
      call.pending = ''
    }
    if (args !== '') out.push({ type: 'tool_call_delta', index: call.index, arguments: args })
    return out
  }
}
