import { sealOpaque } from '../../canonical/opaque'
import type { StopReason } from '../../canonical/response'
import type { StreamEncoder, StreamEvent } from '../../canonical/stream-event'
import type { Usage } from '../../canonical/usage'
import { NO_USAGE } from '../../canonical/usage'
import { sseFrame } from '../../sse'
import type { EncodeContext } from '../protocol-adapter'
import { anthropicStreamError } from './errors'
import { parseJson } from './json'
import { clientToolId } from './client-tool-ids'
import { messageId } from './response'
import { stopToAnthropic } from './stop'
import { ANTHROPIC } from './types'
import { usageToAnthropic } from './usage'

type Open = { kind: 'text' | 'thinking'; index: number } | { kind: 'tool'; index: number; call: number }

/** A tool call of the turn: waiting for its block, streaming into it, or done. */
interface Call {
  id: string
  name: string
  args: string
  state: 'queued' | 'open' | 'closed'
}

/** Whether a tool call's arguments so far are a whole JSON value (nothing valid can follow them). */
const complete = (args: string): boolean => {
  const last = args.trimEnd().at(-1)
  return (last === '}' || last === ']') && parseJson(args) !== undefined
}

/**
 * Canonical events → Anthropic SSE for Claude Code and the Anthropic SDKs (docs/protocols.md
 * §2.3, §3.4 A). Every frame is named (`event:` = `data.type`); one block is open at a time and
 * indices run 0, 1, 2…; a tool call that starts while another is still receiving arguments waits
 * (buffered) until that one is complete, then goes out as one delta; `message_delta` is held
 * until the end so it carries the last usage.
 */
export function anthropicStreamEncoder(ctx: EncodeContext): StreamEncoder {
  const calls = new Map<number, Call>()
  const queue: number[] = []
  let open: Open | null = null
  let nextIndex = 0
  let started = false
  let failed = false
  let usage: Usage = NO_USAGE
  let finish: { stop: StopReason; stopSequence?: string } | null = null

  const frame = (type: string, fields: Record<string, unknown>): string => sseFrame(type, JSON.stringify({ type, ...fields }))

  const ensureStarted = (): string => {
    if (started) return ''
    started = true
    return frame('message_start', {
      message: {
        id: messageId(ctx.requestId),
        type: 'message',
        role: 'assistant',
        // Claude Code derives context window and capabilities from the model it asked for (§4 case 8).
        model: ctx.clientModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
      }
    })
  }

  const startBlock = (block: Record<string, unknown>): { index: number; text: string } => {
    const index = nextIndex++
    return { index, text: frame('content_block_start', { index, content_block: block }) }
  }
  const delta = (index: number, body: Record<string, unknown>): string => frame('content_block_delta', { index, delta: body })

  const closeOpen = (): string => {
    if (open === null) return ''
    const text = frame('content_block_stop', { index: open.index })
    if (open.kind === 'tool') {
      const call = calls.get(open.call)
      if (call) call.state = 'closed'
    }
    open = null
    return text
  }

  const openBlock = (kind: 'text' | 'thinking'): string => {
    const closed = flushTools()
    const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' }
    const { index, text } = startBlock(block)
    open = { kind, index }
    return closed + text
  }

  const openCall = (index: number): string => {
    const call = calls.get(index)
    if (!call) return ''
    let text = closeOpen()
    const block = startBlock({ type: 'tool_use', id: call.id, name: call.name, input: {} })
    text += block.text
    call.state = 'open'
    open = { kind: 'tool', index: block.index, call: index }
    // Arguments buffered while the call waited go out as one delta.
    if (call.args !== '') text += delta(block.index, { type: 'input_json_delta', partial_json: call.args })
    return text
  }

  /** Closes the open block and sends every waiting tool call, in the order the calls started. */
  const flushTools = (): string => {
    let text = closeOpen()
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) text += openCall(next)
    return text + closeOpen()
  }

  /** Moves on to the next waiting call once the streaming one's arguments are complete. */
  const advance = (): string => {
    let text = ''
    for (let guard = queue.length; guard > 0 && open?.kind === 'tool' && complete(calls.get(open.call)?.args ?? ''); guard--) {
      const next = queue.shift()
      if (next !== undefined) text += openCall(next)
    }
    return text
  }

  const content = (event: StreamEvent): string => {
    switch (event.type) {
      case 'text_delta':
      case 'refusal_delta': {
        if (event.text === '') return ''
        const opened = open?.kind === 'text' ? '' : openBlock('text')
        return opened + delta(open?.index ?? 0, { type: 'text_delta', text: event.text })
      }
      case 'reasoning_delta': {
        if (event.text === '') return ''
        const opened = open?.kind === 'thinking' ? '' : openBlock('thinking')
        return opened + delta(open?.index ?? 0, { type: 'thinking_delta', thinking: event.text })
      }
      case 'reasoning_done': {
        if (open?.kind !== 'thinking' && !event.opaque) return ''
        // Without thinking text the artefact still needs a block to ride back on.
        const opened = open?.kind === 'thinking' ? '' : openBlock('thinking')
        const signature = event.opaque ? sealOpaque(event.opaque, ANTHROPIC) : ''
        return opened + delta(open?.index ?? 0, { type: 'signature_delta', signature }) + closeOpen()
      }
      case 'reasoning_redacted': {
        const closed = flushTools()
        const block = startBlock({ type: 'redacted_thinking', data: sealOpaque(event.opaque, ANTHROPIC) })
        return closed + block.text + frame('content_block_stop', { index: block.index })
      }
      case 'tool_call_start': {
        // A repeated start for a known call (Chat upstreams repeat ids) opens nothing new (§4 case 5).
        if (calls.has(event.index)) return ''
        calls.set(event.index, { id: clientToolId(event.id, event.opaque), name: event.name, args: '', state: 'queued' })
        if (open?.kind !== 'tool') return openCall(event.index)
        queue.push(event.index)
        return advance()
      }
      case 'tool_call_delta': {
        const call = calls.get(event.index)
        // A call closes once its arguments parse (only whitespace can follow) or the turn ended.
        if (!call || call.state === 'closed' || event.arguments === '') return ''
        call.args += event.arguments
        if (call.state !== 'open' || open?.kind !== 'tool') return ''
        return delta(open.index, { type: 'input_json_delta', partial_json: event.arguments }) + (queue.length > 0 ? advance() : '')
      }
      default:
        return ''
    }
  }

  return {
    push: event => {
      if (failed) return ''
      switch (event.type) {
        case 'start':
          return ensureStarted()
        case 'usage':
          usage = event.usage
          return ''
        case 'finish':
          finish = event.stopSequence !== undefined ? { stop: event.stop, stopSequence: event.stopSequence } : { stop: event.stop }
          return ensureStarted() + flushTools()
        case 'error':
          // The SDK throws on `event: error`; nothing may follow it, message_stop least of all.
          failed = true
          return anthropicStreamError(event.error)
        default:
          return ensureStarted() + content(event)
      }
    },
    end: () => {
      if (failed) return ''
      const closing = ensureStarted() + flushTools()
      const stop = stopToAnthropic(finish?.stop ?? 'end', finish?.stopSequence)
      const { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens } = usageToAnthropic(usage)
      return (
        closing +
        frame('message_delta', {
          delta: { stop_reason: stop.reason, stop_sequence: stop.sequence },
          usage: { output_tokens, input_tokens, cache_read_input_tokens, cache_creation_input_tokens }
        }) +
        frame('message_stop', {})
      )
    }
  }
}
