import type { MediaSource } from '../../canonical/request'

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*);base64,/i

/** A URL as a media source: a base64 `data:` URL becomes bytes with its media type, anything else stays a URL. */
export function sourceFromUrl(url: string): MediaSource {
  const match = DATA_URL.exec(url)
  if (match === null) return { kind: 'url', url }
  const mediaType = match[1] !== undefined && match[1] !== '' ? match[1].toLowerCase() : 'application/octet-stream'
  return { kind: 'base64', mediaType, data: url.slice(match[0].length) }
}

/** The URL Chat carries for a media source (a `data:` URL for bytes). */
export function urlOfSource(source: MediaSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`
}

/** Media type of a document sent as bare base64, guessed from its file name (Chat sends mostly PDFs). */
export function mediaTypeOfFilename(filename: string | undefined): string {
  const ext = filename?.toLowerCase().split('.').pop()
  const known: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json' }
  return (ext !== undefined ? known[ext] : undefined) ?? 'application/pdf'
}
