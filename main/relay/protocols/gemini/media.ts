import type { FileIdSource, FilePart, ImagePart, MediaSource } from '../../canonical/request'
import type { WirePart } from './types'

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4'
}

/** The MIME type a URL's extension suggests, or `fallback`. */
export function mimeFromUrl(url: string, fallback: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  const dot = path.lastIndexOf('.')
  const ext = dot === -1 || dot < path.lastIndexOf('/') ? '' : path.slice(dot + 1).toLowerCase()
  return BY_EXTENSION[ext] ?? fallback
}

/** Gemini lists `image/jpeg`; `image/jpg` is a common misspelling of it. */
function normalMime(mime: string): string {
  const lower = mime.trim().toLowerCase()
  return lower === 'image/jpg' ? 'image/jpeg' : lower
}

/** A `data:` URL as inline bytes; undefined when it is not one. */
function fromDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url)
  if (match === null) return undefined
  const [, mime = '', params = '', payload = ''] = match
  const base64 = params.split(';').includes('base64')
  const data = base64 ? payload : Buffer.from(percentDecoded(payload), 'utf8').toString('base64')
  return { mimeType: normalMime(mime === '' ? 'text/plain' : mime), data }
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * An image or document as Gemini parts: bytes → inlineData, URLs → fileData. Gemini names
 * uploaded files by URI, so another provider's file id has no form here and is left out.
 */
export function mediaParts(source: MediaSource | FileIdSource, fallbackMime: string): WirePart[] {
  if (source.kind === 'file_id') return []
  if (source.kind === 'base64') return [{ inlineData: { mimeType: normalMime(source.mediaType), data: source.data } }]
  const inline = fromDataUrl(source.url)
  if (inline !== undefined) return [{ inlineData: inline }]
  return [{ fileData: { mimeType: mimeFromUrl(source.url, fallbackMime), fileUri: source.url } }]
}

/** Gemini `inlineData` from a client → an image part, or a file part for other media. */
export function partFromInline(mimeType: string, data: string): ImagePart | FilePart {
  const source: MediaSource = { kind: 'base64', mediaType: mimeType, data }
  return mimeType.startsWith('image/') ? { type: 'image', source } : { type: 'file', source }
}

/** Gemini `fileData` from a client → an image or file part by URL. */
export function partFromFileData(uri: string, mimeType: string | undefined): ImagePart | FilePart {
  const mime = mimeType ?? mimeFromUrl(uri, 'application/octet-stream')
  const source: MediaSource = { kind: 'url', url: uri }
  return mime.startsWith('image/') ? { type: 'image', source } : { type: 'file', source }
}
