import { parseSseBlock, type SseEvent } from './sse'

const NONE = Buffer.alloc(0)
/** A block starting with `:` is a comment (a keep-alive): no event, so never a stream's end. */
const COLON = 0x3a

/**
 * The last two event blocks of a stream, kept as ranges of the chunks they came in (no copy), so
 * that how the stream ended can be judged once it has: per chunk this costs a byte compare or two,
 * and only these two blocks are ever decoded.
 */
export class SseTail {
  private lastBytes: Buffer = NONE
  private lastStart = 0
  private lastEnd = 0
  private beforeBytes: Buffer = NONE
  private beforeStart = 0
  private beforeEnd = 0

  /** Takes note of the blocks of one chunk (`ends` as SseSplitter gives them). */
  note(bytes: Buffer, ends: readonly number[]): void {
    let newest = -1
    for (let i = ends.length - 1; i >= 0; i--) {
      if (bytes[startOf(ends, i)] === COLON) continue
      if (newest === -1) {
        newest = i
        continue
      }
      this.shift(bytes, startOf(ends, i), ends[i] as number)
      break
    }
    if (newest !== -1) this.shift(bytes, startOf(ends, newest), ends[newest] as number)
  }

  /** The last events (at most two), oldest first. */
  events(): SseEvent[] {
    const out: SseEvent[] = []
    for (const [bytes, start, end] of [
      [this.beforeBytes, this.beforeStart, this.beforeEnd],
      [this.lastBytes, this.lastStart, this.lastEnd]
    ] as const) {
      const event = end > start ? parseSseBlock(bytes.toString('utf8', start, end)) : null
      if (event !== null) out.push(event)
    }
    return out
  }

  private shift(bytes: Buffer, start: number, end: number): void {
    this.beforeBytes = this.lastBytes
    this.beforeStart = this.lastStart
    this.beforeEnd = this.lastEnd
    this.lastBytes = bytes
    this.lastStart = start
    this.lastEnd = end
  }
}

function startOf(ends: readonly number[], i: number): number {
  return i === 0 ? 0 : (ends[i - 1] as number)
}
