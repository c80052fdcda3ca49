/**
 * The generate URL of a Gemini channel (docs/protocols.md §6). A bare origin gets `/v1beta`; a
 * base URL with a path (`https://host/v1beta`, `https://proxy/gemini/v1`) is used as the API
 * root. Streams always ask for SSE (`alt=sse`); without it Gemini streams one JSON array.
 */
export function geminiUrl(baseUrl: string, model: string, stream: boolean): string {
  const url = new URL(baseUrl)
  const root = url.pathname.replace(/\/+$/, '') || '/v1beta'
  const id = model.replace(/^models\//, '')
  url.pathname = `${root}/models/${encodeURIComponent(id)}:${stream ? 'streamGenerateContent' : 'generateContent'}`
  if (stream) url.searchParams.set('alt', 'sse')
  return url.toString()
}

/** Auth and protocol headers; the key goes in `x-goog-api-key`, never in the URL (URLs get logged). */
export function geminiHeaders(key: string | null, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json'
  }
  if (key !== null) headers['x-goog-api-key'] = key
  return headers
}
