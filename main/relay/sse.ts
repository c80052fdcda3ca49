/**
 * Incremental SSE reader. Feed it bytes as they arrive; it returns each complete block (an
 * event or a comment) with its exact text, so a pass-through can forward blocks untouched while
 * looking inside them. It holds at most one partial block, never the stream.
 */
export interface SseEvent {
  event: string | null
  data: string
}

/** One block of the stream: its raw text (separator included) and the event in it, if any. */
export interface SseBlock {
  raw: string
  event: SseEvent | null
}

/** Largest partial block kept while waiting for its end; a bigger one is passed on in pieces. */
const MAX_BLOCK_CHARS = 8 * 1024 * 1024
const SEPARATOR = /\r\n\r\n|\n\n|\r\r/g

/** Parses the fields of one block. */
export function parseSseBlock(block: string): SseEvent | null {
  let event: string | null = null
  const data: string[] = []
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length > 0 || event !== null ? { event, data: data.join('\n') } : null
}

/** A reader over a `text/event-stream` byte stream. */
export interface SseReader {
  push(chunk: Uint8Array): SseBlock[]
  /** Whatever is left when the stream ends (an unterminated last block). */
  end(): SseBlock[]
}

/** Creates a reader. */
export function createSseReader(): SseReader {
  const decoder = new TextDecoder()
  let pending = ''

  const drain = (): SseBlock[] => {
    const blocks: SseBlock[] = []
    let start = 0
    SEPARATOR.lastIndex = 0
    for (let m = SEPARATOR.exec(pending); m !== null; m = SEPARATOR.exec(pending)) {
      const end = m.index + m[0].length
      blocks.push({ raw: pending.slice(start, end), event: parseSseBlock(pending.slice(start, m.index)) })
      start = end
    }
    pending = pending.slice(start)
    if (pending.length > MAX_BLOCK_CHARS) {
      // A runaway block: forward it as opaque text rather than hold an unbounded buffer.
      blocks.push({ raw: pending, event: null })
      pending = ''
    }
    return blocks
  }

  return {
    push: chunk => {
      pending += decoder.decode(chunk, { stream: true })
      return drain()
    },
    end: () => {
      pending += decoder.decode()
      const rest = drain()
      if (pending.length > 0) rest.push({ raw: pending, event: parseSseBlock(pending) })
      pending = ''
      return rest
    }
  }
}

/** One SSE event as text: `event:` line when named, one `data:` line (data must not contain newlines). */
export function sseFrame(event: string | null, data: string): string {
  return event === null ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}
