import { opaqueFor } from '../../canonical/opaque'
import type { FilePart, ImagePart, MediaSource, Message, Part, TextPart, ToolResultPart } from '../../canonical/request'
import { pairToolResults } from '../../canonical/tool-pairing'
import type { JsonObject } from './types'

const PROTOCOL = 'openai-responses'

/**
 * Canonical messages → Responses `input` items, in order. Tool calls and results become their own
 * items, every call with exactly one output (OpenAI answers 400 "No tool output found"
 * otherwise); reasoning is replayed only when OpenAI minted it (encrypted_content
 * byte-identical, original id or none — never a new one; docs/protocols.md §4 case 26).
 */
export function buildInput(messages: Message[]): JsonObject[] {
  const items: JsonObject[] = []
  for (const message of pairToolResults(messages)) {
    let pending: JsonObject[] = []
    const flush = (): void => {
      if (pending.length > 0) items.push({ type: 'message', role: message.role, content: pending })
      pending = []
    }
    for (const part of message.parts) {
      const content = contentPart(part, message.role)
      if (content !== null) {
        pending.push(content)
        continue
      }
      const item = standaloneItem(part)
      if (item === null) continue
      flush()
      items.push(item)
    }
    flush()
  }
  return items
}

/** A part that lives inside a message item, or null for one that is an item of its own (or dropped). */
function contentPart(part: Part, role: Message['role']): JsonObject | null {
  switch (part.type) {
    case 'text':
      if (part.text === '') return null
      return role === 'assistant' ? { type: 'output_text', text: part.text, annotations: [] } : { type: 'input_text', text: part.text }
    case 'refusal':
      return role === 'assistant' ? { type: 'refusal', refusal: part.text } : { type: 'input_text', text: part.text }
    case 'image':
      return role === 'assistant' ? null : imagePart(part)
    case 'file':
      return role === 'assistant' ? null : filePart(part)
    default:
      return null
  }
}

function standaloneItem(part: Part): JsonObject | null {
  switch (part.type) {
    case 'tool_call':
      return part.kind === 'custom'
        ? { type: 'custom_tool_call', call_id: part.id, name: part.name, input: part.arguments }
        : { type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments }
    case 'tool_result':
      return { type: part.custom === true ? 'custom_tool_call_output' : 'function_call_output', call_id: part.callId, output: toolOutput(part) }
    case 'reasoning': {
      const encrypted = opaqueFor(part.opaque, PROTOCOL)
      if (encrypted === undefined) return null
      return {
        type: 'reasoning',
        ...(part.id !== undefined ? { id: part.id } : {}),
        summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
        encrypted_content: encrypted
      }
    }
    default:
      return null
  }
}

/** A tool result's `output`: a string, or parts when it carries images. Responses has no error flag, so an error says so in its text. */
function toolOutput(part: ToolResultPart): string | JsonObject[] {
  const texts = part.content.filter((c): c is TextPart => c.type === 'text')
  if (texts.length === part.content.length) {
    const text = texts.map(c => c.text).join('\n')
    return part.isError ? `Error: ${text}` : text
  }
  const parts = part.content.map(c => (c.type === 'text' ? { type: 'input_text', text: c.text } : imagePart(c)))
  return part.isError ? [{ type: 'input_text', text: 'Error:' }, ...parts] : parts
}

function dataUrl(source: MediaSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`
}

/** An `input_image`: by URL (http or data:), or by the id of an uploaded file. */
function imagePart(part: ImagePart): JsonObject {
  const { source } = part
  const where = source.kind === 'file_id' ? { file_id: source.fileId } : { image_url: dataUrl(source) }
  return { type: 'input_image', ...where, detail: part.detail ?? 'auto' }
}

function filePart(part: FilePart): JsonObject {
  const { source } = part
  const named = part.filename !== undefined ? { filename: part.filename } : {}
  if (source.kind === 'file_id') return { type: 'input_file', file_id: source.fileId, ...named }
  if (source.kind === 'url' && !source.url.startsWith('data:')) return { type: 'input_file', file_url: source.url, ...named }
  // OpenAI wants a filename with inline file data.
  return { type: 'input_file', file_data: dataUrl(source), filename: part.filename ?? 'document.pdf' }
}
