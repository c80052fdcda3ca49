import type { FilePart, ImagePart, Message, Part, SystemSegment, TextPart, ToolCallPart, ToolResultPart } from '../../canonical/request'
import { splitId } from '../../canonical/opaque'
import { relayErrors } from '../../relay-errors'
import { isRecord, list, str, type Json } from './guards'
import { mediaTypeOfFilename, sourceFromUrl } from './media'

/** Text of a system / developer / tool `content`: a string, or its text parts joined. */
function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content]
  return list(content).flatMap(part => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
}

function imagePart(value: unknown): ImagePart | null {
  const image = isRecord(value) ? value : { url: value }
  const url = str(image.url)
  if (url === undefined || url === '') return null
  const detail = image.detail
  return { type: 'image', source: sourceFromUrl(url), ...(detail === 'auto' || detail === 'low' || detail === 'high' ? { detail } : {}) }
}

function filePart(value: unknown): FilePart | null {
  if (!isRecord(value)) return null
  const filename = str(value.filename)
  const named = filename !== undefined ? { filename } : {}
  const data = str(value.file_data)
  if (data !== undefined && data !== '') {
    const source = sourceFromUrl(data)
    return { type: 'file', source: source.kind === 'base64' ? source : { kind: 'base64', mediaType: mediaTypeOfFilename(filename), data }, ...named }
  }
  const fileId = str(value.file_id)
  return fileId !== undefined && fileId !== '' ? { type: 'file', source: { kind: 'file_id', fileId }, ...named } : null
}

/** A user message's content; audio has no canonical form and is dropped. */
function userParts(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  const parts: Part[] = []
  for (const part of list(content)) {
    if (!isRecord(part)) continue
    if (part.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text })
    const media = part.type === 'image_url' ? imagePart(part.image_url) : part.type === 'file' ? filePart(part.file) : null
    if (media !== null) parts.push(media)
  }
  return parts
}

function toolCall(raw: unknown): ToolCallPart | null {
  if (!isRecord(raw)) return null
  const rawId = str(raw.id)
  if (rawId === undefined || rawId === '') return null
  const { id, opaque } = splitId(rawId)
  const withOpaque = opaque !== undefined ? { opaque } : {}
  if (raw.type === 'custom' && isRecord(raw.custom)) {
    const name = str(raw.custom.name)
    return name === undefined ? null : { type: 'tool_call', id, name, arguments: str(raw.custom.input) ?? '', kind: 'custom', ...withOpaque }
  }
  const fn = isRecord(raw.function) ? raw.function : {}
  const name = str(fn.name)
  if (name === undefined) return null
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {})
  return { type: 'tool_call', id, name, arguments: args, kind: 'function', ...withOpaque }
}

/**
 * An assistant message (history, or an upstream answer) in canonical order: reasoning, text,
 * refusal, tool calls. `reasoning_content` / `reasoning` are unsigned (no opaque): they must
 * never be replayed to Anthropic as signed thinking.
 */
export function assistantParts(message: Json, legacyCallId: () => string): Part[] {
  const parts: Part[] = []
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning)
  if (reasoning !== undefined && reasoning !== '') parts.push({ type: 'reasoning', text: reasoning })
  const content = message.content
  if (typeof content === 'string' && content !== '') parts.push({ type: 'text', text: content })
  for (const part of list(content)) {
    if (!isRecord(part)) continue
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') parts.push({ type: 'text', text: part.text })
    if (part.type === 'refusal' && typeof part.refusal === 'string' && part.refusal !== '') parts.push({ type: 'refusal', text: part.refusal })
  }
  const refusal = str(message.refusal)
  if (refusal !== undefined && refusal !== '') parts.push({ type: 'refusal', text: refusal })
  for (const raw of list(message.tool_calls)) {
    const call = toolCall(raw)
    if (call !== null) parts.push(call)
  }
  const legacy = isRecord(message.function_call) ? message.function_call : null
  const legacyName = legacy !== null ? str(legacy.name) : undefined
  if (legacy !== null && legacyName !== undefined) {
    const args = typeof legacy.arguments === 'string' ? legacy.arguments : '{}'
    parts.push({ type: 'tool_call', id: legacyCallId(), name: legacyName, arguments: args, kind: 'function' })
  }
  return parts
}

/** The conversation of a Chat request: leading system / developer messages and the rest. */
export function parseMessages(raw: unknown[]): { system: SystemSegment[]; messages: Message[] } {
  const system: SystemSegment[] = []
  const messages: Message[] = []
  /** The user Message holding the latest run of tool results, while it may still grow. */
  let toolGroup: Message | null = null
  /** Legacy `function_call`s have no id: one is made up and handed to the next `function` result of that name. */
  const legacyIds = new Map<string, string[]>()
  let legacyCount = 0

  raw.forEach((entry, i) => {
    if (!isRecord(entry)) throw relayErrors.invalidRequest(`messages[${i}] must be an object`)
    const role = entry.role
    if (role !== 'tool' && role !== 'function' && role !== 'user') toolGroup = null
    switch (role) {
      case 'system':
      case 'developer': {
        const texts = textsOf(entry.content)
        if (messages.length === 0) system.push(...texts.map(text => ({ text, origin: role, cache: false })))
        else messages.push({ role: 'system', parts: texts.map((text): TextPart => ({ type: 'text', text })) })
        return
      }
      case 'user': {
        const parts = userParts(entry.content)
        // Tool results and the user text that follows them are one turn (Anthropic's shape).
        if (toolGroup !== null) toolGroup.parts.push(...parts)
        else messages.push({ role: 'user', parts })
        toolGroup = null
        return
      }
      case 'assistant': {
        const parts = assistantParts(entry, () => {
          const id = `call_legacy_${legacyCount++}`
          const name = isRecord(entry.function_call) ? str(entry.function_call.name) : undefined
          if (name !== undefined) legacyIds.set(name, [...(legacyIds.get(name) ?? []), id])
          return id
        })
        if (parts.length > 0) messages.push({ role: 'assistant', parts })
        return
      }
      case 'tool':
      case 'function': {
        const result = toolResult(entry, i, legacyIds)
        if (toolGroup === null) {
          toolGroup = { role: 'user', parts: [] }
          messages.push(toolGroup)
        }
        toolGroup.parts.push(result)
        return
      }
      default:
        throw relayErrors.invalidRequest(`messages[${i}].role must be one of system, developer, user, assistant, tool, function`)
    }
  })
  return { system, messages }
}

function toolResult(entry: Json, i: number, legacyIds: Map<string, string[]>): ToolResultPart {
  const content = textsOf(entry.content).map((text): TextPart => ({ type: 'text', text }))
  if (entry.role === 'tool') {
    const callId = str(entry.tool_call_id)
    if (callId === undefined) throw relayErrors.invalidRequest(`messages[${i}].tool_call_id is required for role "tool"`)
    return { type: 'tool_result', callId: splitId(callId).id, content, isError: false }
  }
  const name = str(entry.name)
  if (name === undefined) throw relayErrors.invalidRequest(`messages[${i}].name is required for role "function"`)
  const callId = legacyIds.get(name)?.shift() ?? `call_legacy_${name}`
  return { type: 'tool_result', callId, name, content, isError: false }
}
