import type { Readable } from 'node:stream'

/** Ignores an error event: the owner reads `errored` or gets the error from its own listener. */
const ignore = (): void => {}

/**
 * Reads a body stream to the end, failing once it grows past `limit` bytes (the stream is then
 * destroyed). Plain listeners rather than `for await`: no promise per chunk on the hot path.
 */
export function readBody(body: Readable, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (body.errored) return reject(body.errored)
    const parts: Buffer[] = []
    let size = 0
    const done = (err: unknown, value?: Buffer): void => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
      body.off('close', onClose)
      body.on('error', ignore)
      if (value !== undefined) resolve(value)
      else reject(err)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) return void parts.push(chunk)
      done(new Error(`upstream body is larger than ${limit} bytes`))
      body.destroy()
    }
    const onEnd = (): void => done(null, parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size))
    const onError = (err: unknown): void => done(err)
    const onClose = (): void => done(new Error('upstream closed the connection before the end of the body'))
    body.on('data', onData)
    body.on('end', onEnd)
    body.on('error', onError)
    body.on('close', onClose)
  })
}

/**
 * Waits for the first chunk of a body and pauses the stream after it, so whoever takes the
 * stream next reads from the second chunk on. Null when the body ended empty. An error
 * listener stays attached: a body that fails before its new owner listens must not crash the
 * process (the owner finds the error in `body.errored`).
 */
export function firstChunk(body: Readable): Promise<Buffer | null> {
  body.on('error', ignore)
  return new Promise<Buffer | null>((resolve, reject) => {
    if (body.errored) return reject(body.errored)
    const done = (): void => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
      body.off('close', onClose)
    }
    const onData = (chunk: Buffer): void => {
      body.pause()
      done()
      resolve(chunk)
    }
    const onEnd = (): void => {
      done()
      resolve(null)
    }
    const onError = (err: unknown): void => {
      done()
      reject(err)
    }
    const onClose = (): void => {
      done()
      reject(body.errored ?? new Error('upstream closed the connection before the first byte'))
    }
    body.on('data', onData)
    body.on('end', onEnd)
    body.on('error', onError)
    body.on('close', onClose)
  })
}

/** Reads at most `limit` bytes (for error bodies and captures) and discards the rest. */
export async function readPrefix(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    if (size < limit) parts.push(Buffer.from(chunk).subarray(0, limit - size))
    size += chunk.byteLength
  }
  return Buffer.concat(parts).toString('utf8')
}

/** Replaces every provider key of the channel in `text`, so upstream echoes never reach logs or clients. */
export function redactKeys(text: string, keys: readonly string[]): string {
  let out = text
  for (const key of keys) if (key.length >= 6) out = out.split(key).join('[redacted]')
  return out.length > 500 ? `${out.slice(0, 500)}…` : out
}
