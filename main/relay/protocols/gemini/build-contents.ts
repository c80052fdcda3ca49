import type { Message, Part, ToolCallPart, ToolResultPart } from '../../canonical/request'
import { opaqueFor } from '../../canonical/opaque'
import { mediaParts } from './media'
import { pairResults } from './pair-results'
import { isRec, parseJson } from './read'
import type { WireContent, WirePart } from './types'

/**
 * Gemini 3 rejects a historical functionCall without a thoughtSignature; this documented value
 * tells it to skip the check for calls whose signature Cuttle does not have (§4 case 11).
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator'

/** Used when neither the result nor the history names the function (Gemini requires a name). */
const UNKNOWN_FUNCTION = 'unknown_function'

/**
 * Canonical messages → `contents`: roles user/model, consecutive same-role contents merged,
 * tool results first in their user content and paired with the calls (responses are added after
 * a history that ends on calls), empty contents left out.
 */
export function buildContents(messages: Message[]): WireContent[] {
  const names = new Map<string, string>()
  const contents: WireContent[] = []
  for (const message of messages) {
    const content: WireContent =
      message.role === 'assistant'
        ? { role: 'model', parts: message.parts.flatMap(part => modelPart(part, names)) }
        : { role: 'user', parts: userParts(message, names) }
    if (content.parts.length === 0) continue
    const last = contents.at(-1)
    if (last?.role === content.role) last.parts = resultsFirst([...last.parts, ...content.parts])
    else contents.push(content)
  }
  // A history that ends on function calls still owes their responses; pairResults fills this turn.
  if (contents.at(-1)?.parts.some(part => part.functionCall !== undefined) === true) contents.push({ role: 'user', parts: [] })
  return pairResults(contents)
}

function modelPart(part: Part, names: Map<string, string>): WirePart[] {
  switch (part.type) {
    case 'text':
    case 'refusal':
      return part.text === '' ? [] : [{ text: part.text }]
    case 'reasoning': {
      // Only Gemini's own thoughts can go back; other providers' reasoning is meaningless to it.
      const signature = opaqueFor(part.opaque, 'gemini')
      return signature === undefined ? [] : [{ text: part.text, thought: true, thoughtSignature: signature }]
    }
    case 'tool_call':
      names.set(part.id, part.name)
      return [functionCall(part)]
    case 'image':
      return mediaParts(part.source, 'image/jpeg')
    case 'file':
      return mediaParts(part.source, 'application/pdf')
    case 'tool_result':
      return []
  }
}

function functionCall(part: ToolCallPart): WirePart {
  const parsed = parseJson(part.arguments)
  return {
    functionCall: { id: part.id, name: part.name, args: isRec(parsed) ? parsed : {} },
    thoughtSignature: opaqueFor(part.opaque, 'gemini') ?? SKIP_SIGNATURE
  }
}

/**
 * A user (or mid-conversation system) message: tool results first, then their images, then the
 * rest. A system message becomes "[system] …" text so it keeps its place in the conversation.
 */
function userParts(message: Message, names: ReadonlyMap<string, string>): WirePart[] {
  const results: WirePart[] = []
  const resultMedia: WirePart[] = []
  const rest: WirePart[] = []
  for (const part of message.parts) {
    if (part.type === 'tool_result') {
      results.push({ functionResponse: { id: part.callId, name: part.name ?? names.get(part.callId) ?? UNKNOWN_FUNCTION, response: responseObject(part) } })
      for (const item of part.content) if (item.type === 'image') resultMedia.push(...mediaParts(item.source, 'image/jpeg'))
    } else if (part.type === 'text' || part.type === 'refusal') {
      if (part.text !== '') rest.push({ text: message.role === 'system' ? `[system] ${part.text}` : part.text })
    } else if (part.type === 'image') rest.push(...mediaParts(part.source, 'image/jpeg'))
    else if (part.type === 'file') rest.push(...mediaParts(part.source, 'application/pdf'))
  }
  return [...results, ...resultMedia, ...rest]
}

/**
 * `functionResponse.response` must be a JSON object (§4 case 15): the result text is parsed as
 * JSON first; an object goes as it is, anything else (string, array, number, '') is wrapped as
 * `{result}` — or `{error}` for a failed call, Gemini's convention for errors.
 */
function responseObject(part: ToolResultPart): Record<string, unknown> {
  const text = part.content.flatMap(item => (item.type === 'text' ? [item.text] : [])).join('\n')
  const parsed = parseJson(text)
  const value = parsed === undefined ? text : parsed
  if (part.isError) return { error: value }
  return isRec(value) ? value : { result: value }
}

function resultsFirst(parts: WirePart[]): WirePart[] {
  return [...parts.filter(p => p.functionResponse !== undefined), ...parts.filter(p => p.functionResponse === undefined)]
}
