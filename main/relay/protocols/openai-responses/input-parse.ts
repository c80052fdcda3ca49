import { openOpaque, splitId } from '../../canonical/opaque'
import type { Message, Part, ReasoningPart, SystemSegment, ToolCallPart } from '../../canonical/request'
import { parseMessageContent, parseToolOutput } from './content-parse'
import { reasoningText } from './response'
import { objects, str, type JsonObject } from './types'

const PROTOCOL = 'openai-responses'

/** The conversation of a Responses `input`: leading system / developer items and the messages. */
export interface ParsedInput {
  system: SystemSegment[]
  messages: Message[]
}

/**
 * Reads `input` (a string or items) into canonical messages (docs/protocols.md §1.2, §3.2).
 * Assistant-side items in a row (reasoning, assistant messages, tool calls) make ONE assistant
 * message; tool outputs in a row make one user message of tool results.
 */
export function parseInput(input: unknown): ParsedInput {
  const items: JsonObject[] = typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : objects(input)
  const system: SystemSegment[] = []
  const messages: Message[] = []
  const callNames = new Map<string, string>()
  let leading = true

  const toAssistant = (part: Part): void => {
    const last = messages.at(-1)
    if (last?.role === 'assistant') last.parts.push(part)
    else messages.push({ role: 'assistant', parts: [part] })
  }

  for (const item of items) {
    const type = str(item.type) ?? (str(item.role) !== undefined ? 'message' : undefined)
    if (type === 'message') {
      const role = str(item.role)
      if ((role === 'system' || role === 'developer') && leading) {
        const text = systemText(item.content)
        if (text !== '') system.push({ text, origin: role, cache: false })
        continue
      }
      leading = false
      const canonicalRole = role === 'assistant' ? 'assistant' : role === 'system' || role === 'developer' ? 'system' : 'user'
      const parts = parseMessageContent(item.content, canonicalRole)
      if (parts.length === 0) continue
      if (canonicalRole === 'assistant') parts.forEach(toAssistant)
      else messages.push({ role: canonicalRole, parts })
      continue
    }
    const part = parseItem(item, type, callNames)
    if (part === null) continue
    leading = false
    if (part.type === 'tool_result') {
      const last = messages.at(-1)
      if (last?.role === 'user' && last.parts.every(p => p.type === 'tool_result')) last.parts.push(part)
      else messages.push({ role: 'user', parts: [part] })
    } else {
      toAssistant(part)
    }
  }
  return { system, messages }
}

/** A non-message item as one part; null for items with no portable meaning (hosted tools, references). */
function parseItem(item: JsonObject, type: string | undefined, callNames: Map<string, string>): Part | null {
  switch (type) {
    case 'function_call':
    case 'custom_tool_call': {
      const rawId = str(item.call_id) ?? str(item.id)
      const name = str(item.name)
      if (rawId === undefined || name === undefined) return null
      const { id, opaque } = splitId(rawId)
      callNames.set(id, name)
      const custom = type === 'custom_tool_call'
      const args = custom ? item.input : item.arguments
      const call: ToolCallPart = {
        type: 'tool_call',
        id,
        name,
        arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
        kind: custom ? 'custom' : 'function'
      }
      if (opaque !== undefined) call.opaque = opaque
      return call
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const rawId = str(item.call_id)
      if (rawId === undefined) return null
      const callId = splitId(rawId).id
      const name = callNames.get(callId)
      return {
        type: 'tool_result',
        callId,
        ...(name !== undefined ? { name } : {}),
        content: parseToolOutput(item.output),
        isError: false,
        ...(type === 'custom_tool_call_output' ? { custom: true } : {})
      }
    }
    case 'reasoning':
      return parseReasoning(item)
    default:
      return null
  }
}

/** A reasoning item: its readable text, and its encrypted content as an artefact for its minter; null when it has neither. */
function parseReasoning(item: JsonObject): ReasoningPart | null {
  const part: ReasoningPart = { type: 'reasoning', text: reasoningText(item) }
  const encrypted = str(item.encrypted_content)
  if (encrypted !== undefined && encrypted !== '') part.opaque = openOpaque(encrypted, PROTOCOL)
  if (part.text === '' && part.opaque === undefined) return null
  const id = str(item.id)
  if (id !== undefined && id !== '') part.id = id
  return part
}

/** The text of a system / developer message (string or text parts). */
function systemText(content: unknown): string {
  if (typeof content === 'string') return content
  return objects(content)
    .flatMap(part => str(part.text) ?? [])
    .join('\n')
}
