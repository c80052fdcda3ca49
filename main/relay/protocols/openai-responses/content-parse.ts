import type { FilePart, ImagePart, Part, TextPart } from '../../canonical/request'
import { objects, str, type JsonObject } from './types'

const DETAILS = new Set(['auto', 'low', 'high'])
const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s

/** An `input_image` part: by URL (http or data:) or by file id. */
export function parseImage(part: JsonObject): ImagePart | null {
  const url = str(part.image_url)
  const fileId = str(part.file_id)
  const source: ImagePart['source'] | null =
    url !== undefined && url !== '' ? { kind: 'url', url } : fileId !== undefined && fileId !== '' ? { kind: 'file_id', fileId } : null
  if (source === null) return null
  const image: ImagePart = { type: 'image', source }
  const detail = str(part.detail)
  if (detail !== undefined && DETAILS.has(detail)) image.detail = detail as ImagePart['detail']
  return image
}

/** An `input_file` part (inline data, URL or file id). */
export function parseFile(part: JsonObject): FilePart | null {
  const filename = str(part.filename)
  const named = (file: FilePart): FilePart => (filename !== undefined ? { ...file, filename } : file)
  const data = str(part.file_data)
  if (data !== undefined && data !== '') {
    const match = DATA_URL.exec(data)
    if (match !== null) return named({ type: 'file', source: { kind: 'base64', mediaType: match[1] ?? '', data: match[2] ?? '' } })
    return named({ type: 'file', source: { kind: 'base64', mediaType: mediaTypeOf(filename), data } })
  }
  const url = str(part.file_url)
  if (url !== undefined && url !== '') return named({ type: 'file', source: { kind: 'url', url } })
  const fileId = str(part.file_id)
  if (fileId !== undefined && fileId !== '') return named({ type: 'file', source: { kind: 'file_id', fileId } })
  return null
}

/** Bare base64 `file_data` says nothing of its type; the API itself only takes PDFs that way. */
function mediaTypeOf(filename: string | undefined): string {
  const ext = filename?.toLowerCase().split('.').pop()
  if (ext === 'txt') return 'text/plain'
  if (ext === 'md') return 'text/markdown'
  return 'application/pdf'
}

/** A message's `content` (string or parts) as canonical parts; empty texts are left out. */
export function parseMessageContent(content: unknown, role: 'user' | 'assistant' | 'system'): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  const parts: Part[] = []
  for (const part of objects(content)) {
    const type = str(part.type)
    if (type === 'input_text' || type === 'output_text' || type === 'text') {
      const text = str(part.text)
      if (text !== undefined && text !== '') parts.push({ type: 'text', text })
    } else if (type === 'refusal' && role === 'assistant') {
      const text = str(part.refusal)
      if (text !== undefined && text !== '') parts.push({ type: 'refusal', text })
    } else if (type === 'input_image' && role === 'user') {
      const image = parseImage(part)
      if (image !== null) parts.push(image)
    } else if (type === 'input_file' && role === 'user') {
      const file = parseFile(part)
      if (file !== null) parts.push(file)
    }
  }
  return parts
}

/**
 * A tool output (`function_call_output.output`): a string, or `input_text` / `input_image` parts
 * (Codex sends the list form for MCP results with images). Canonical tool results hold text and
 * images only, so `input_file` parts are left out.
 */
export function parseToolOutput(output: unknown): Array<TextPart | ImagePart> {
  if (typeof output === 'string') return [{ type: 'text', text: output }]
  if (output !== null && output !== undefined && !Array.isArray(output)) return [{ type: 'text', text: JSON.stringify(output) }]
  const parts: Array<TextPart | ImagePart> = []
  for (const part of objects(output)) {
    const type = str(part.type)
    if (type === 'input_text' || type === 'output_text' || type === 'text') {
      const text = str(part.text)
      if (text !== undefined) parts.push({ type: 'text', text })
    } else if (type === 'input_image') {
      const image = parseImage(part)
      if (image !== null) parts.push(image)
    }
  }
  return parts
}
