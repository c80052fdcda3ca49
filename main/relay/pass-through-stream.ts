import { NO_USAGE, type Usage } from './canonical/usage'
import type { PassThrough, UsageTap } from './protocols/protocol-adapter'
import type { RelayError } from './relay-errors'
import { parseSseBlock, SseSplitter } from './sse'
import type { StreamTransform } from './stream-forwarder'

const NOTHING = Buffer.alloc(0)
/** Every protocol's in-band error event carries this key. */
const ERROR_MARKER = Buffer.from('"error"')

/**
 * Same protocol on both sides: blocks go to the client byte for byte, as they complete. Only
 * blocks whose bytes contain the tap's marker (usage) or `"error"` are decoded and parsed (to read
 * usage, to hide what the client did not ask for, to log an in-band upstream failure as one); the
 * rest is never looked at beyond finding blank lines.
 */
export function passThroughStream(tap: UsageTap, failureOf: PassThrough['streamFailure'], inBandError: (error: RelayError) => string): StreamTransform {
  const splitter = new SseSplitter()
  const marker = Buffer.from(tap.marker)
  let failure: string | null = null

  /** Reads one block; true when it must not reach the client. */
  const hidden = (text: string): boolean => {
    const event = parseSseBlock(text)
    if (event === null) return false
    if (failure === null && event.data.includes('"error"')) failure = failureOf(event.data)
    return event.data.includes(tap.marker) && tap.read(event.data)
  }
  /** Where the next marker (usage or error) stands in `bytes` from `from` on; -1 when none. */
  const nextMark = (bytes: Buffer, from: number): number => {
    const usage = bytes.indexOf(marker, from)
    const error = bytes.indexOf(ERROR_MARKER, from)
    return usage === -1 ? error : error === -1 ? usage : Math.min(usage, error)
  }

  return {
    push(chunk) {
      const blocks = splitter.push(chunk)
      if (blocks === null) return NOTHING
      const { bytes, ends } = blocks
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
      const rest = splitter.end()
      if (rest === null) return NOTHING
      return nextMark(rest, 0) !== -1 && hidden(rest.toString('utf8')) ? NOTHING : rest
    },
    fail: inBandError,
    usage(): Usage {
      return tap.usage() ?? NO_USAGE
    },
    failure: () => failure
  }
}
