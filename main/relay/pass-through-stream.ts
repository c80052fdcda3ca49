import { NO_USAGE, type Usage } from './canonical/usage'
import type { PassThrough, UsageTap } from './protocols/protocol-adapter'
import { relayErrors, type RelayError } from './relay-errors'
import { parseSseBlock, SseSplitter } from './sse'
import { SseTail } from './sse-tail'
import type { StreamTransform } from './stream-forwarder'

const NOTHING = Buffer.alloc(0)
/** Every protocol's in-band error event carries this key. */
const ERROR_MARKER = Buffer.from('"error"')
/** Bytes of a body that is not SSE kept to find the upstream's error message in. */
const MAX_HELD_BYTES = 64 * 1024
const NOT_SSE = 'the upstream answered the stream request with a body that is not SSE'
const CUT_SHORT = 'upstream ended the stream early, without the event that ends a whole stream'

/**
 * Same protocol on both sides: blocks go to the client byte for byte, as they complete. Only
 * blocks whose bytes contain the tap's marker (usage) or `"error"` are decoded and parsed (to read
 * usage, to hide what the client did not ask for, to log an in-band upstream failure as one); the
 * rest is never looked at beyond finding blank lines. When the upstream closes, its last two events
 * tell whether the stream was whole; one cut short (or a body that is no SSE at all) ends with the
 * protocol's in-band error, as a broken connection does, and is logged as failed.
 */
export function passThroughStream(passThrough: PassThrough, tap: UsageTap, inBandError: (error: RelayError) => string): StreamTransform {
  const splitter = new SseSplitter()
  const tail = new SseTail()
  const marker = Buffer.from(tap.marker)
  let failure: string | null = null
  let first = true
  /** The body so far when it is not SSE (JSON): it never reaches the client, whose SDK could not parse it. */
  let held: Buffer[] | null = null
  let heldBytes = 0

  /** Reads one block; true when it must not reach the client. */
  const hidden = (text: string): boolean => {
    const event = parseSseBlock(text)
    if (event === null) return false
    if (failure === null && event.data.includes('"error"')) failure = passThrough.streamFailure(event.data)
    return event.data.includes(tap.marker) && tap.read(event.data)
  }
  /** Where the next marker (usage or error) stands in `bytes` from `from` on; -1 when none. */
  const nextMark = (bytes: Buffer, from: number): number => {
    const usage = bytes.indexOf(marker, from)
    const error = bytes.indexOf(ERROR_MARKER, from)
    return usage === -1 ? error : error === -1 ? usage : Math.min(usage, error)
  }
  /** Ends the client's stream with an in-band error, logged as `message`. */
  const cut = (message: string): string => {
    failure = message
    return inBandError(relayErrors.upstreamFailed(502, message))
  }

  return {
    push(chunk) {
      if (first) {
        first = false
        if (startsAsJson(chunk)) held = []
      }
      if (held !== null) {
        if (heldBytes < MAX_HELD_BYTES) held.push(chunk)
        heldBytes += chunk.length
        return NOTHING
      }
      const blocks = splitter.push(chunk)
      if (blocks === null) return NOTHING
      const { bytes, ends } = blocks
      tail.note(bytes, ends)
      let mark = nextMark(bytes, 0)
      if (mark === -1) return bytes
      const kept: Buffer[] = []
      let keptFrom = 0
      let start = 0
      for (const end of ends) {
        if (mark !== -1 && mark < end) {
          if (hidden(bytes.toString('utf8', start, end))) {
            if (start > keptFrom) kept.push(bytes.subarray(keptFrom, start))
            keptFrom = end
          }
          mark = nextMark(bytes, end)
        }
        start = end
      }
      if (keptFrom === 0) return bytes
      if (keptFrom < bytes.length) kept.push(bytes.subarray(keptFrom))
      return Buffer.concat(kept)
    },
    end() {
      if (held !== null) return cut(passThrough.streamFailure(Buffer.concat(held).toString('utf8')) ?? NOT_SSE)
      const rest = splitter.end()
      if (rest !== null) tail.note(rest, [rest.length])
      const last = rest !== null && !(nextMark(rest, 0) !== -1 && hidden(rest.toString('utf8'))) ? rest : NOTHING
      if (failure !== null || passThrough.endsComplete(tail.events())) return last
      // Cut short: an unterminated rest is a piece of an event, on which the client's parser would fail before reading the error.
      return cut(CUT_SHORT)
    },
    fail: inBandError,
    usage(): Usage {
      return tap.usage() ?? NO_USAGE
    },
    failure: () => failure
  }
}

/** Whether a stream's first bytes open a JSON value: a non-streamed answer or an error object, not SSE. */
function startsAsJson(chunk: Buffer): boolean {
  for (const byte of chunk) {
    if (byte === 0x7b || byte === 0x5b) return true
    // Space, tab, CR, LF: a JSON body may start with whitespace, an SSE stream with blank lines.
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false
  }
  return false
}
