import type { StreamTransform } from './stream-forwarder'

/**
 * A Responses object names its id before its output, and a stream's first event
 * (`response.created`) carries that object: the id is the first `"id"` within this many characters.
 */
const HEAD_CHARS = 4096
const FIRST_ID = /"id"\s*:\s*"([^"\\]{1,200})"/

/** The id of a Responses answer, read from the head of its text without parsing it again. */
export function responseIdIn(body: Buffer | string): string | null {
  const head = typeof body === 'string' ? body.slice(0, HEAD_CHARS) : body.toString('utf8', 0, Math.min(body.length, HEAD_CHARS))
  return FIRST_ID.exec(head)?.[1] ?? null
}

/** A transform that passes everything on and remembers the id of the Responses stream it writes. */
export function watchResponseId(transform: StreamTransform): { transform: StreamTransform; id: () => string | null } {
  let head = ''
  let id: string | null = null
  const watched: StreamTransform = {
    end: () => transform.end(),
    fail: error => transform.fail(error),
    usage: () => transform.usage(),
    failure: () => transform.failure(),
    push(chunk) {
      const out = transform.push(chunk)
      if (id === null && head.length < HEAD_CHARS && out.length > 0) {
        head += (typeof out === 'string' ? out : out.toString('utf8')).slice(0, HEAD_CHARS - head.length)
        id = responseIdIn(head)
      }
      return out
    }
  }
  return { transform: watched, id: () => id }
}
