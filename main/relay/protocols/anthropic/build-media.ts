import type { FileIdSource, FilePart, MediaSource } from '../../canonical/request'
import { relayErrors } from '../../relay-errors'
import type { Base64ImageSource, DocumentBlockParam, ImageBlockParam } from './types'

const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

/** Bytes of a `data:` URL, base64-encoded. */
interface Inline {
  mediaType: string
  data: string
}

/** Splits a `data:` URL; null when `url` is not one. */
function parseDataUrl(url: string): Inline | null {
  const match = /^data:([^,]*?),(.*)$/s.exec(url)
  if (!match) return null
  const meta = (match[1] ?? '').split(';')
  const payload = match[2] ?? ''
  const mediaType = (meta[0] ?? '').trim() || 'text/plain'
  if (meta.slice(1).includes('base64')) return { mediaType, data: payload }
  return { mediaType, data: Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64') }
}

/** Anthropic takes only jpeg, png, gif and webp; `image/jpg` is a common misspelling of jpeg (§4 case 28). */
function imageMediaType(mediaType: string): Base64ImageSource['media_type'] {
  const normal = mediaType.trim().toLowerCase().replace(/^image\/jpg$/, 'image/jpeg')
  if (IMAGE_TYPES.has(normal)) return normal as Base64ImageSource['media_type']
  throw relayErrors.invalidRequest(`image media type "${mediaType}" is not supported by Anthropic (use jpeg, png, gif or webp)`)
}

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url)

/**
 * An image block: inline bytes as base64, http(s) URLs by reference (never fetched and inlined).
 * An image by file id is dropped (null), as a document by file id is: see fileBlock.
 */
export function imageBlock(source: MediaSource | FileIdSource): ImageBlockParam | null {
  if (source.kind === 'file_id') return null
  if (source.kind === 'base64') return base64Image({ mediaType: source.mediaType, data: source.data })
  const inline = parseDataUrl(source.url)
  if (inline) return base64Image(inline)
  if (isHttp(source.url)) return { type: 'image', source: { type: 'url', url: source.url } }
  throw relayErrors.invalidRequest('image URL must be an http(s) or data: URL')
}

function base64Image(inline: Inline): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: imageMediaType(inline.mediaType), data: inline.data } }
}

/**
 * A file as Anthropic takes it: PDFs and plain text as documents, images as images. A file id
 * belongs to another provider's file store (an Anthropic client's own files never reach this
 * builder: same-protocol requests pass through), so it is dropped.
 */
export function fileBlock(part: FilePart): DocumentBlockParam | ImageBlockParam | null {
  const { source } = part
  const title = part.filename !== undefined && part.filename !== '' ? { title: part.filename } : {}
  if (source.kind === 'file_id') return null
  if (source.kind === 'url') {
    const inline = parseDataUrl(source.url)
    if (inline) return inlineFile(inline, title)
    if (isHttp(source.url)) return { type: 'document', source: { type: 'url', url: source.url }, ...title }
    throw relayErrors.invalidRequest('file URL must be an http(s) or data: URL')
  }
  return inlineFile({ mediaType: source.mediaType, data: source.data }, title)
}

function inlineFile(inline: Inline, title: { title?: string }): DocumentBlockParam | ImageBlockParam {
  const mediaType = inline.mediaType.trim().toLowerCase()
  if (mediaType === 'application/pdf') {
    return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: inline.data }, ...title }
  }
  if (mediaType.startsWith('text/')) {
    const text = Buffer.from(inline.data, 'base64').toString('utf8')
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title }
  }
  if (mediaType.startsWith('image/')) return base64Image(inline)
  throw relayErrors.invalidRequest(`file type "${inline.mediaType}" is not supported by Anthropic (use PDF, plain text or an image)`)
}
