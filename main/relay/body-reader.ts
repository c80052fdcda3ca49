/** Reads a body stream to the end, failing once it grows past `limit` bytes. */
export async function readBody(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > limit) throw new Error(`upstream body is larger than ${limit} bytes`)
    parts.push(Buffer.from(chunk))
  }
  return Buffer.concat(parts)
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

/** The message inside an upstream error body (`{error:{message}}`, `{message}`), or its text. */
export function upstreamErrorMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'string') return parsed
    if (typeof parsed === 'object' && parsed !== null) {
      const { error, message } = parsed as { error?: unknown; message?: unknown }
      if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
        return (error as { message: string }).message
      }
      if (typeof error === 'string') return error
      if (typeof message === 'string') return message
    }
  } catch {
    // not JSON: the raw text is the best description
  }
  return text.replace(/\s+/g, ' ').trim()
}

/** Replaces every provider key of the channel in `text`, so upstream echoes never reach logs or clients. */
export function redactKeys(text: string, keys: readonly string[]): string {
  let out = text
  for (const key of keys) if (key.length >= 6) out = out.split(key).join('[redacted]')
  return out.length > 500 ? `${out.slice(0, 500)}…` : out
}
