import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Usage } from './canonical/usage'
import { relayErrors, type RelayError } from './relay-errors'

/** Turns the upstream's stream bytes into the client's, chunk by chunk. */
export interface StreamTransform {
  /** What to write for one upstream chunk ('' or an empty buffer: nothing yet). */
  push(chunk: Buffer): Buffer | string
  /** The upstream ended cleanly: whatever the client format still needs. */
  end(): Buffer | string
  /** The upstream broke mid-stream: an error the client's SDK can parse. */
  fail(error: RelayError): string
  /** Usage read from the stream so far. */
  usage(): Usage
  /** Why the stream failed although the connection did not (an in-band upstream error), or null. */
  failure(): string | null
}

/** How a forwarded stream ended. */
export interface StreamEnd {
  status: number
  usage: Usage
  firstChunkAt: number
  error: string | null
  captured: string | null
}

/** Inputs of forwardStream. */
export interface ForwardOptions {
  /** The chunk that committed this attempt (already read). */
  first: Buffer
  /** The rest of the upstream body, paused. */
  body: Readable
  transform: StreamTransform
  /** Stops the upstream request. */
  abort: () => void
  firstChunkAt: number
  /** Characters of the client-facing stream kept for the request log (0: none). */
  captureLimit: number
  /**
   * Written when the upstream has been silent this long (long thinking, slow tools), so idle
   * timeouts of clients and proxies in between do not cut the stream; null: nothing may be
   * inserted (a JSON-array stream).
   */
  keepAlive: { text: string; afterMs: number } | null
  onEnd: (end: StreamEnd) => void
}

const CLIENT_GONE = 'client closed the connection during the stream'

/**
 * Writes a committed upstream stream to the client's response as it arrives: each upstream
 * chunk becomes at most one write, nothing is buffered beyond what the transform holds, and the
 * upstream is read only as fast as the client takes the bytes (pause on a full socket buffer,
 * resume on drain). A client that leaves aborts the upstream at once; an upstream that breaks
 * gives the client a well-formed error in its protocol. `onEnd` is called exactly once.
 */
export function forwardStream(res: ServerResponse, o: ForwardOptions): void {
  const { body, transform } = o
  let settled = false
  let captured = ''

  let corked = false
  const uncork = (): void => {
    corked = false
    res.uncork()
  }
  const write = (out: Buffer | string): boolean => {
    if (out.length === 0) return true
    idle?.refresh()
    if (captured.length < o.captureLimit) captured += (typeof out === 'string' ? out : out.toString('utf8')).slice(0, o.captureLimit - captured.length)
    if (!corked) {
      corked = true
      res.cork()
      setImmediate(uncork)
    }
    return res.write(out)
  }
  const settle = (status: number, error: string | null): void => {
    if (settled) return
    settled = true
    if (idle) clearTimeout(idle)
    body.off('data', onData)
    body.off('end', onEnd)
    body.off('error', onError)
    res.off('close', onClose)
    res.off('drain', onDrain)
    if (status !== 200) o.abort()
    o.onEnd({ status, usage: transform.usage(), firstChunkAt: o.firstChunkAt, error, captured: o.captureLimit > 0 ? captured : null })
  }
  let waiting = false
  const onDrain = (): void => {
    waiting = false
    body.resume()
  }
  /** Writes and, when the socket buffer is full, stops reading until it drains. */
  const send = (out: Buffer | string): void => {
    if (write(out) || waiting) return
    waiting = true
    body.pause()
    res.once('drain', onDrain)
  }
  const onData = (chunk: Buffer): void => send(transform.push(chunk))
  const onEnd = (): void => {
    write(transform.end())
    res.end()
    const failure = transform.failure()
    settle(failure === null ? 200 : 502, failure)
  }
  const onError = (err: unknown): void => {
    if (res.destroyed || res.writableEnded) return settle(499, CLIENT_GONE)
    const message = `upstream stream failed: ${err instanceof Error ? err.message : String(err)}`
    write(transform.fail(relayErrors.upstreamFailed(502, message)))
    res.end()
    settle(502, message)
  }
  const onClose = (): void => {
    // 'close' before the end was written: the client went away.
    if (!res.writableFinished) settle(499, CLIENT_GONE)
  }

  // Blocks are written whole, so between two writes the client's stream is always at a block boundary.
  const idle = o.keepAlive === null ? null : setTimeout(() => send(o.keepAlive?.text ?? ''), o.keepAlive.afterMs)
  idle?.unref()
  if (res.destroyed || res.writableEnded) return settle(499, CLIENT_GONE)
  res.on('close', onClose)
  send(transform.push(o.first))
  // The body may have ended or failed while the attempt was being committed.
  if (body.errored) return onError(body.errored)
  if (body.readableEnded) return onEnd()
  body.on('data', onData)
  body.on('end', onEnd)
  body.on('error', onError)
  if (!waiting) body.resume()
}
