import type { ImagePart, Message, Part, ReasoningPart, TextPart, ToolResultPart } from '../../canonical/request'
import { openOpaque } from '../../canonical/opaque'
import { relayErrors } from '../../relay-errors'
import { partFromFileData, partFromInline } from './media'
import { bool, field, isRec, list, rec, str, type Rec } from './read'

/**
 * Tool call ids for one request. Gemini may omit `functionCall.id`; missing ids become
 * `call_<n>` in order (skipping ids the client did send), and a `functionResponse` without an id
 * answers the earliest unanswered call of the same name.
 */
class CallIds {
  private next = 0
  private readonly open: Array<{ id: string; name: string }> = []

  constructor(private readonly taken: ReadonlySet<string>) {}

  /** The id of a call the model made. */
  call(id: string | undefined, name: string): string {
    const chosen = id ?? this.fresh()
    this.open.push({ id: chosen, name })
    return chosen
  }

  /** The call id a response belongs to. */
  answer(id: string | undefined, name: string): string {
    const at = this.open.findIndex(call => (id !== undefined ? call.id === id : call.name === name))
    const found = at === -1 ? undefined : this.open.splice(at, 1)[0]
    return id ?? found?.id ?? this.fresh()
  }

  private fresh(): string {
    let id = `call_${this.next++}`
    while (this.taken.has(id)) id = `call_${this.next++}`
    return id
  }
}

/** `contents[]` → canonical messages (roles user / model; the old `function` role is user). */
export function parseContents(contents: unknown[]): Message[] {
  const ids = new CallIds(explicitIds(contents))
  return contents.map((content, i) => {
    if (!isRec(content)) throw relayErrors.invalidRequest(`contents[${i}] must be an object`)
    const role = str(content, 'role') === 'model' ? 'assistant' : 'user'
    return { role, parts: parseParts(list(content, 'parts'), role, ids) }
  })
}

function explicitIds(contents: unknown[]): Set<string> {
  const ids = new Set<string>()
  for (const content of contents) {
    for (const part of list(content, 'parts')) {
      const id = str(rec(part, 'functionCall'), 'id')
      if (id !== undefined) ids.add(id)
    }
  }
  return ids
}

/**
 * Parts in order. Consecutive thought parts are one reasoning segment (a streamed client keeps
 * one part per chunk); a `thoughtSignature` closes the open segment, and one riding on a text
 * part (Gemini puts it on the first part after the thoughts, or on a trailing empty text part)
 * is kept as a reasoning part of its own when no segment is open.
 */
function parseParts(parts: unknown[], role: 'user' | 'assistant', ids: CallIds): Part[] {
  const out: Part[] = []
  let segment: ReasoningPart | null = null
  for (const part of parts) {
    if (!isRec(part)) continue
    const signature = str(part, 'thoughtSignature')
    const opaque = signature !== undefined && signature !== '' ? openOpaque(signature, 'gemini') : undefined
    const text = str(part, 'text')
    if (role === 'assistant' && text !== undefined && bool(part, 'thought') === true) {
      if (segment === null) {
        segment = { type: 'reasoning', text }
        out.push(segment)
      } else segment.text += text
      if (opaque !== undefined) {
        segment.opaque = opaque
        segment = null
      }
      continue
    }
    const call = role === 'assistant' ? rec(part, 'functionCall') : undefined
    if (role === 'assistant' && opaque !== undefined && call === undefined) {
      if (segment !== null) segment.opaque = opaque
      else out.push({ type: 'reasoning', text: '', opaque })
    }
    segment = null
    if (call !== undefined) {
      const name = str(call, 'name') ?? ''
      const args = field(call, 'args')
      out.push({
        type: 'tool_call',
        id: ids.call(str(call, 'id'), name),
        name,
        arguments: JSON.stringify(isRec(args) ? args : {}),
        kind: 'function',
        ...(opaque !== undefined ? { opaque } : {})
      })
      continue
    }
    const other = otherPart(part, text, role, ids)
    if (other !== undefined) out.push(other)
  }
  return out
}

function otherPart(part: Rec, text: string | undefined, role: 'user' | 'assistant', ids: CallIds): Part | undefined {
  if (text !== undefined) return text === '' ? undefined : { type: 'text', text }
  const response = role === 'user' ? rec(part, 'functionResponse') : undefined
  if (response !== undefined) return toolResult(response, ids)
  return media(part)
}

function media(part: Rec): Part | undefined {
  const inline = rec(part, 'inlineData')
  if (inline !== undefined) return partFromInline(str(inline, 'mimeType') ?? 'application/octet-stream', str(inline, 'data') ?? '')
  const file = rec(part, 'fileData')
  const uri = str(file, 'fileUri')
  if (uri !== undefined) return partFromFileData(uri, str(file, 'mimeType'))
  // executableCode, codeExecutionResult, videoMetadata: hosted-tool artefacts with no equivalent.
  return undefined
}

/** `functionResponse` → tool result; `response` becomes text (see resultText). */
function toolResult(response: Rec, ids: CallIds): ToolResultPart {
  const name = str(response, 'name') ?? ''
  const value = field(response, 'response')
  const content: Array<TextPart | ImagePart> = [{ type: 'text', text: resultText(value) }]
  for (const extra of list(response, 'parts')) {
    const item = media(isRec(extra) ? extra : {})
    if (item?.type === 'image') content.push(item)
  }
  return {
    type: 'tool_result',
    callId: ids.answer(str(response, 'id'), name),
    ...(name !== '' ? { name } : {}),
    content,
    isError: isRec(value) && onlyKey(value) === 'error'
  }
}

/**
 * The text other protocols get for a `response` object: a lone string under `result` / `output`
 * (or `error`, Gemini's error convention) is unwrapped, anything else is its JSON.
 */
function resultText(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return value
  if (isRec(value)) {
    const key = onlyKey(value)
    const inner = key === undefined ? undefined : value[key]
    if ((key === 'result' || key === 'output' || key === 'error') && typeof inner === 'string') return inner
  }
  return JSON.stringify(value)
}

function onlyKey(value: Rec): string | undefined {
  const keys = Object.keys(value)
  return keys.length === 1 ? keys[0] : undefined
}
