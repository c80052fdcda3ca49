/**
 * Server-sent events, read and written. The splitter works on bytes: a pass-through forwards the
 * blocks exactly as received and decodes only the few it must look into; a conversion decodes
 * each block with `parseSseBlock`.
 */
export interface SseEvent {
  event: string | null
  data: string
}

/** Complete blocks, back to back as received; block `i` is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface SseBlocks {
  bytes: Buffer
  ends: number[]
}

const LF = 0x0a
const CR = 0x0d
/** Longest block held while waiting for its end; a longer one is passed on as it is. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024

/**
 * Splits a byte stream at blank lines (`\n\n`, `\r\n\r\n` and mixes of the two). It holds at
 * most the one block that has not ended yet. Line breaks of a lone `\r`, which the SSE spec
 * allows but no provider sends, are not split on: such a stream passes through as one opaque piece.
 */
export class SseSplitter {
  private pending: Buffer | null = null

  /** The blocks completed by `chunk`, or null when none is complete yet. */
  push(chunk: Buffer): SseBlocks | null {
    const held = this.pending
    const data = held === null ? chunk : Buffer.concat([held, chunk])
    // A separator may straddle the old and new bytes: look from just before the join.
    const ends = blockEnds(data, held === null ? 0 : Math.max(0, held.length - 3))
    const last = ends.length === 0 ? 0 : (ends[ends.length - 1] as number)
    if (data.length - last > MAX_PENDING_BYTES) {
      // A runaway block is forwarded rather than held without bound.
      this.pending = null
      ends.push(data.length)
      return { bytes: data, ends }
    }
    this.pending = last === data.length ? null : data.subarray(last)
    return ends.length === 0 ? null : { bytes: last === data.length ? data : data.subarray(0, last), ends }
  }

  /** What is left when the stream ends: an unterminated last block, or null. */
  end(): Buffer | null {
    const rest = this.pending
    this.pending = null
    return rest
  }
}

/** Where the blocks of `data` end (just past each blank line), looking from `from`. */
function blockEnds(data: Buffer, from: number): number[] {
  const ends: number[] = []
  for (let i = data.indexOf(LF, from); i !== -1; i = data.indexOf(LF, i + 1)) {
    const next = data[i + 1]
    if (next === LF) {
      ends.push(i + 2)
      i += 1
    } else if (next === CR && data[i + 2] === LF) {
      ends.push(i + 3)
      i += 2
    }
  }
  return ends
}

/** The text of block `i`. */
export function blockText(blocks: SseBlocks, i: number): string {
  return blocks.bytes.toString('utf8', i === 0 ? 0 : blocks.ends[i - 1], blocks.ends[i])
}

/** Parses the fields of one block (its trailing blank line may be included). Comment-only blocks give null. */
export function parseSseBlock(block: string): SseEvent | null {
  let event: string | null = null
  let data: string | null = null
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') event = value
    else if (field === 'data') data = data === null ? value : `${data}\n${value}`
  }
  return data !== null || event !== null ? { event, data: data ?? '' } : null
}

/** One SSE event as text: `event:` line when named, one `data:` line (data must not contain newlines). */
export function sseFrame(event: string | null, data: string): string {
  return event === null ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}
