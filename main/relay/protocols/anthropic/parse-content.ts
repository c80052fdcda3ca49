import { openOpaque } from '../../canonical/opaque'
import type { ImagePart, Message, Part, TextPart, ToolResultPart } from '../../canonical/request'
import { relayErrors } from '../../relay-errors'
import { toolIdFromClient } from './client-tool-ids'
import { arr, isObject, str, type JsonObject } from './json'
import { ANTHROPIC } from './types'

/** Claude Code's per-request attribution block: it changes every request, so it never leaves Anthropic (§4 case 29). */
const ATTRIBUTION = 'x-anthropic-billing-header:'

/** Whether a system text is Claude Code's attribution block. */
export function isAttribution(text: string): boolean {
  return text.trimStart().startsWith(ATTRIBUTION)
}

/** One `messages[]` entry → a canonical message. */
export function parseMessage(raw: unknown, at: string): Message {
  if (!isObject(raw)) throw relayErrors.invalidRequest(`${at}: must be an object`)
  const role = raw.role
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    throw relayErrors.invalidRequest(`${at}.role: must be "user" or "assistant"`)
  }
  return { role, parts: parseContent(raw.content, `${at}.content`) }
}

/** A message's `content`: a string (one text block) or an array of blocks. */
function parseContent(content: unknown, at: string): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw relayErrors.invalidRequest(`${at}: must be a string or an array of content blocks`)
  return content.flatMap(block => (isObject(block) ? parseBlock(block) : []))
}

/** One content block; blocks with no canonical equivalent (server tools and their results) are dropped. */
function parseBlock(block: JsonObject): Part[] {
  switch (block.type) {
    case 'text':
      return textPart(block)
    case 'image':
      return imagePart(block)
    case 'document':
      return documentParts(block)
    case 'tool_use': {
      const { id, opaque } = toolIdFromClient(str(block.id) ?? '')
      const input = isObject(block.input) ? block.input : {}
      return [
        { type: 'tool_call', id, name: str(block.name) ?? '', arguments: JSON.stringify(input), kind: 'function', ...(opaque ? { opaque } : {}) }
      ]
    }
    case 'tool_result':
      return [toolResultPart(block)]
    case 'thinking': {
      const signature = str(block.signature) ?? ''
      // An empty signature is display-only thinking (Cuttle sends that when the upstream gave none).
      return [{ type: 'reasoning', text: str(block.thinking) ?? '', ...(signature !== '' ? { opaque: openOpaque(signature, ANTHROPIC) } : {}) }]
    }
    case 'redacted_thinking': {
      const data = str(block.data)
      return data ? [{ type: 'reasoning', text: '', opaque: { ...openOpaque(data, ANTHROPIC), redacted: true } }] : []
    }
    default:
      return []
  }
}

function textPart(block: JsonObject): TextPart[] {
  const text = str(block.text)
  if (text === undefined) return []
  return [{ type: 'text', text, ...(isObject(block.cache_control) ? { cache: true } : {}) }]
}

/** An image: base64, URL or a Files-API file id. */
function imagePart(block: JsonObject): ImagePart[] {
  const source = isObject(block.source) ? block.source : {}
  switch (source.type) {
    case 'base64': {
      const data = str(source.data)
      return data ? [{ type: 'image', source: { kind: 'base64', mediaType: str(source.media_type) ?? 'image/png', data } }] : []
    }
    case 'url': {
      const url = str(source.url)
      return url ? [{ type: 'image', source: { kind: 'url', url } }] : []
    }
    case 'file': {
      const fileId = str(source.file_id)
      return fileId ? [{ type: 'image', source: { kind: 'file_id', fileId } }] : []
    }
    default:
      return []
  }
}

/** A document: PDF bytes / URL / file id → file part; plain text and content sources → their text and images. */
function documentParts(block: JsonObject): Part[] {
  const source = isObject(block.source) ? block.source : {}
  const title = str(block.title)
  const named = title !== undefined && title !== '' ? { filename: title } : {}
  switch (source.type) {
    case 'base64': {
      const data = str(source.data)
      return data ? [{ type: 'file', source: { kind: 'base64', mediaType: str(source.media_type) ?? 'application/pdf', data }, ...named }] : []
    }
    case 'url': {
      const url = str(source.url)
      return url ? [{ type: 'file', source: { kind: 'url', url }, ...named }] : []
    }
    case 'file': {
      const fileId = str(source.file_id)
      return fileId ? [{ type: 'file', source: { kind: 'file_id', fileId }, ...named }] : []
    }
    case 'text': {
      const data = str(source.data)
      return data ? [{ type: 'text', text: data }] : []
    }
    case 'content':
      return typeof source.content === 'string' ? [{ type: 'text', text: source.content }] : resultContent(source.content)
    default:
      return []
  }
}

function toolResultPart(block: JsonObject): ToolResultPart {
  const content = typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : resultContent(block.content)
  return { type: 'tool_result', callId: toolIdFromClient(str(block.tool_use_id) ?? '').id, content, isError: block.is_error === true }
}

/** Text and images of a block list; other kinds (documents, search results) have no place in a canonical tool result. */
function resultContent(blocks: unknown): Array<TextPart | ImagePart> {
  return arr(blocks).flatMap((block): Array<TextPart | ImagePart> => {
    if (!isObject(block)) return []
    if (block.type === 'text') return textPart(block)
    if (block.type === 'image') return imagePart(block)
    return []
  })
}
