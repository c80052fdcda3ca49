import { Readable } from 'node:stream'
import { chatStreamErrorEvent } from './protocols/openai-chat/errors'
import { isUsageOnlyChunk } from './protocols/openai-chat/endpoint'
import { usageFromChat } from './protocols/openai-chat/usage'
import { NO_USAGE, type Usage } from './canonical/usage'
import { relayErrors } from './relay-errors'
import { createSseReader, type SseBlock } from './sse'

/** How a forwarded stream ended. */
export interface StreamEnd {
  status: number
  usage: Usage
  firstChunkAt: number | null
  error: string | null
  captured: string | null
}

/** Inputs of forwardChatStream. */
export interface ChatStreamOptions {
  first: Uint8Array | null
  rest: AsyncIterator<Uint8Array>
  /** The client did not ask for usage, so the usage-only chunk we requested is not forwarded. */
  dropUsageChunk: boolean
  /** Stops the upstream request (client gone). */
  abort: () => void
  clientGone: () => boolean
  captureLimit: number
  now: () => number
  onEnd: (end: StreamEnd) => void
}

/**
 * Forwards an upstream Chat Completions SSE stream block by block, untouched, while reading the
 * usage out of it. If the upstream dies mid-stream the client gets an error chunk it can parse.
 */
export function forwardChatStream(options: ChatStreamOptions): Readable {
  return Readable.from(generate(options), { objectMode: false })
}

async function* generate(o: ChatStreamOptions): AsyncGenerator<Buffer> {
  const reader = createSseReader()
  let usage: Usage = NO_USAGE
  let firstChunkAt: number | null = null
  let captured = ''
  let end: Omit<StreamEnd, 'usage' | 'firstChunkAt' | 'captured'> | null = null

  /** The blocks of one upstream chunk, joined into one write: fewer, larger writes stream faster. */
  const emit = (blocks: SseBlock[]): Buffer[] => {
    let out = ''
    for (const block of blocks) {
      const data = block.event?.data
      if (data !== undefined && data !== '[DONE]' && data.includes('"usage"')) {
        const chunk = safeParse(data)
        const found = usageFromChat((chunk as { usage?: unknown } | null)?.usage)
        if (found) usage = found
        if (o.dropUsageChunk && isUsageOnlyChunk(chunk)) continue
      }
      if (captured.length < o.captureLimit) captured += block.raw.slice(0, o.captureLimit - captured.length)
      out += block.raw
    }
    return out === '' ? [] : [Buffer.from(out, 'utf8')]
  }

  try {
    let chunk: Uint8Array | null = o.first
    while (chunk !== null) {
      firstChunkAt ??= o.now()
      yield* emit(reader.push(chunk))
      const next = await o.rest.next()
      chunk = next.done ? null : next.value
    }
    yield* emit(reader.end())
    end = { status: 200, error: null }
  } catch (err) {
    if (o.clientGone()) {
      end = { status: 499, error: 'client closed the connection during the stream' }
    } else {
      const message = `upstream stream failed: ${err instanceof Error ? err.message : String(err)}`
      end = { status: 502, error: message }
      yield Buffer.from(chatStreamErrorEvent(relayErrors.upstreamFailed(502, message)), 'utf8')
    }
  } finally {
    // Reached on normal end, on error, and when the client's socket closed and Koa destroyed us.
    end ??= { status: 499, error: 'client closed the connection during the stream' }
    if (end.status !== 200) o.abort()
    o.onEnd({ ...end, usage, firstChunkAt, captured: o.captureLimit > 0 ? captured : null })
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
