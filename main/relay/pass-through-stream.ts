import { NO_USAGE, type Usage } from './canonical/usage'
import type { UsageTap } from './protocols/protocol-adapter'
import type { RelayError } from './relay-errors'
import { parseSseBlock, SseSplitter } from './sse'
import type { StreamTransform } from './stream-forwarder'

const NOTHING = Buffer.alloc(0)

/**
 * Same protocol on both sides: blocks go to the client byte for byte, as they complete. Only
 * blocks whose bytes contain the tap's marker are decoded and parsed (to read usage, and to hide
 * what the client did not ask for); the rest is never looked at beyond finding blank lines.
 */
export function passThroughStream(tap: UsageTap, inBandError: (error: RelayError) => string): StreamTransform {
  const splitter = new SseSplitter()
  const marker = Buffer.from(tap.marker)

  /** Reads one block; true when it must not reach the client. */
  const hidden = (text: string): boolean => {
    const event = parseSseBlock(text)
    return event !== null && tap.read(event.data)
  }

  return {
    push(chunk) {
      const blocks = splitter.push(chunk)
      if (blocks === null) return NOTHING
      const { bytes, ends } = blocks
      let at = bytes.indexOf(marker)
      if (at === -1) return bytes
      const kept: Buffer[] = []
      let keptFrom = 0
      let start = 0
      for (const end of ends) {
        if (at !== -1 && at < end) {
          if (hidden(bytes.toString('utf8', start, end))) {
            if (start > keptFrom) kept.push(bytes.subarray(keptFrom, start))
            keptFrom = end
          }
          at = bytes.indexOf(marker, end)
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
      return rest.includes(marker) && hidden(rest.toString('utf8')) ? NOTHING : rest
    },
    fail: inBandError,
    usage(): Usage {
      return tap.usage() ?? NO_USAGE
    },
    failure: () => null
  }
}
