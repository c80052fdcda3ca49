/** The API version Cuttle speaks to Anthropic upstreams. */
const ANTHROPIC_VERSION = '2023-06-01'

/**
 * The Messages URL of a channel: a bare origin gets `/v1/messages`; a base URL with a path
 * (`https://host/api/v1`, as SDK users write it) gets `/messages` appended.
 */
export function messagesUrl(baseUrl: string): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  url.pathname = path === '' ? '/v1/messages' : `${path}/messages`
  return url.toString()
}

/** Auth and protocol headers for an Anthropic upstream. */
export function messagesHeaders(key: string | null, stream: boolean): Record<string, string> {
  return {
    ...(key !== null ? { 'x-api-key': key } : {}),
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json'
  }
}
