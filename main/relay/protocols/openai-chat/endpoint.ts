/**
 * The Chat Completions URL of a channel: a bare origin gets `/v1/chat/completions`, a base URL
 * with a path (`https://host/api/v1`, as OpenAI SDK users write it) gets `/chat/completions`.
 */
export function chatCompletionsUrl(baseUrl: string): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  url.pathname = path === '' ? '/v1/chat/completions' : `${path}/chat/completions`
  return url.toString()
}

/** Whether a stream chunk carries only usage (`choices: []`), which clients that did not ask for usage must not see. */
export function isUsageOnlyChunk(chunk: unknown): boolean {
  if (typeof chunk !== 'object' || chunk === null) return false
  const { choices, usage } = chunk as { choices?: unknown; usage?: unknown }
  return Array.isArray(choices) && choices.length === 0 && typeof usage === 'object' && usage !== null
}

/** Headers for a Chat upstream: Bearer auth (when the channel has a key), JSON in, SSE or JSON out. */
export function chatHeaders(key: string | null, stream: boolean): Record<string, string> {
  return {
    ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json'
  }
}
