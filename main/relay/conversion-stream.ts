import { CustomCallRestorer } from './canonical/custom-tools'
import type { StreamDecoder, StreamEncoder, StreamEvent } from './canonical/stream-event'
import type { ToolNameMap } from './canonical/tool-names'
import { NO_USAGE, type Usage } from './canonical/usage'
import type { RelayError } from './relay-errors'
import { blockText, parseSseBlock, SseSplitter } from './sse'
import type { StreamTransform } from './stream-forwarder'

/** What a converted stream is made of. */
export interface ConversionParts {
  decoder: StreamDecoder
  encoder: StreamEncoder
  toolNames: ToolNameMap
  customTools: ReadonlySet<string>
}

/**
 * Different protocols on the two sides: each complete upstream SSE event is decoded into
 * canonical events, tool names and custom tool calls are given back their client form, and the
 * client's encoder writes them at once. Usage is taken from the canonical `usage` events.
 */
export function conversionStream(parts: ConversionParts): StreamTransform {
  const { decoder, encoder, toolNames } = parts
  const splitter = new SseSplitter()
  const custom = new CustomCallRestorer(parts.customTools)
  let usage: Usage = NO_USAGE
  let failure: string | null = null
  let closed = false

  const emit = (events: StreamEvent[]): string => {
    let out = ''
    for (const raw of events) {
      for (const event of custom.push(renamed(raw, toolNames))) {
        if (closed) return out
        if (event.type === 'usage') usage = event.usage
        if (event.type === 'error') {
          // An in-band upstream error ends the client's stream; nothing may follow it.
          failure = event.error.message
          closed = true
        }
        out += encoder.push(event)
      }
    }
    return out
  }
  const decodeBlock = (text: string): string => {
    const event = parseSseBlock(text)
    return event === null ? '' : emit(decoder.push(event))
  }

  return {
    push(chunk) {
      const blocks = splitter.push(chunk)
      if (blocks === null) return ''
      let out = ''
      for (let i = 0; i < blocks.ends.length; i++) out += decodeBlock(blockText(blocks, i))
      return out
    },
    end() {
      const rest = splitter.end()
      let out = rest === null ? '' : decodeBlock(rest.toString('utf8'))
      out += emit(decoder.end())
      if (closed) return out
      out += emit(custom.flush())
      return out + encoder.end()
    },
    fail(error: RelayError) {
      if (closed) return ''
      closed = true
      return encoder.push({ type: 'error', error })
    },
    usage: () => usage,
    failure: () => failure
  }
}

/** The event with the client's own tool name, where it had to be shortened for the upstream. */
function renamed(event: StreamEvent, names: ToolNameMap): StreamEvent {
  return event.type === 'tool_call_start' && names.renames ? { ...event, name: names.toClient(event.name) } : event
}
