/**
 * The Responses URL of a channel: a bare origin gets `/v1/responses`, a base URL with a path
 * (`https://host/v1`, as Codex and the OpenAI SDK users write it) gets `/responses`.
 */
export function responsesUrl(baseUrl: string): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  url.pathname = path === '' ? '/v1/responses' : `${path}/responses`
  return url.toString()
}

/** Headers for a Responses upstream: Bearer auth, JSON body, SSE or JSON answer. */
export function responsesHeaders(key: string | null, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json'
  }
  if (key !== null) headers.authorization = `Bearer ${key}`
  return headers
}
