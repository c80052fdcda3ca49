/** One server-sent message: an event with data, or a comment line such as `: keepalive`. */
export interface SseMessage {
  event: string | null
  data: string | null
  comment: string | null
}

/** A server-sent-events response read message by message. */
export interface SseClient {
  readonly response: Response
  /** The next message; rejects if the stream ends first. */
  next(): Promise<SseMessage>
  /** Disconnects, as a closing browser tab would. */
  close(): Promise<void>
}

/** Opens `url` as an event stream (plain fetch, so tests can choose headers). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return {
    response,
    async next() {
      if (!reader) throw new Error(`no body (status ${response.status})`)
      let end = buffer.indexOf('\n\n')
      while (end < 0) {
        const { value, done } = await reader.read()
        if (done) throw new Error('the stream ended')
        buffer += decoder.decode(value, { stream: true })
        end = buffer.indexOf('\n\n')
      }
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const message: SseMessage = { event: null, data: null, comment: null }
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) message.comment = line.slice(1).trim()
        else if (line.startsWith('event: ')) message.event = line.slice(7)
        else if (line.startsWith('data: ')) message.data = message.data === null ? line.slice(6) : `${message.data}\n${line.slice(6)}`
      }
      return message
    },
    async close() {
      controller.abort()
      await reader?.cancel().catch(() => undefined)
    }
  }
}
