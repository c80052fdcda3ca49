import { attachToId, sealOpaque, type Opaque } from '../../canonical/opaque'
import type { ToolCallPart } from '../../canonical/request'
import type { OutputPart, StopReason } from '../../canonical/response'
import type { OutputCustomCall, OutputFunctionCall, OutputItem, OutputMessage, OutputReasoning } from './types'

type MessageContent = OutputMessage['content'][number]

/** Makes the ids of one answer, all derived from Cuttle's request id. */
export class AnswerIds {
  private readonly base: string
  private count = 0

  constructor(requestId: string) {
    this.base = requestId.replace(/[^a-zA-Z0-9]/g, '') || 'cuttle'
  }

  /** The response id (`resp_…`). */
  get response(): string {
    return `resp_${this.base}`
  }

  /** A fresh item id with an OpenAI-style prefix (`msg`, `rs`, `fc`, `ctc`). */
  item(prefix: 'msg' | 'rs' | 'fc' | 'ctc'): string {
    this.count += 1
    return `${prefix}_${this.base}${this.count}`
  }
}

/** The `call_id` a client sees: the canonical id, carrying a foreign artefact (Gemini thoughtSignature) when there is one. */
export function clientCallId(id: string, opaque: Opaque | undefined): string {
  return opaque === undefined ? id : attachToId(id, opaque)
}

/** `encrypted_content` for a reasoning artefact: native for OpenAI's own, sealed for another provider's (redacted data stays marked). */
export function encryptedContent(opaque: Opaque): string {
  return sealOpaque(opaque, 'openai-responses')
}

/** A text content part of an assistant message. */
export function outputText(text: string): MessageContent {
  return { type: 'output_text', text, annotations: [], logprobs: [] }
}

/** An assistant message item. */
export function messageItem(id: string, content: MessageContent[], status: OutputMessage['status']): OutputMessage {
  return { id, type: 'message', status, content, role: 'assistant' }
}

/** A reasoning item; `encrypted` goes back to the model on the next turn. */
export function reasoningItem(id: string, text: string, encrypted: string | undefined): OutputReasoning {
  return {
    id,
    type: 'reasoning',
    summary: text === '' ? [] : [{ type: 'summary_text', text }],
    ...(encrypted !== undefined ? { encrypted_content: encrypted } : {})
  }
}

/** A function call item. */
export function functionCallItem(id: string, callId: string, name: string, args: string, status: 'in_progress' | 'completed'): OutputFunctionCall {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name }
}

/** A free-form (custom) tool call item; `input` is the raw text. */
export function customCallItem(id: string, callId: string, name: string, input: string): OutputCustomCall {
  return { id, type: 'custom_tool_call', call_id: callId, name, input }
}

/** A finished answer's parts as output items, in order (texts in a row share one message). */
export function outputItems(parts: OutputPart[], ids: AnswerIds): OutputItem[] {
  const items: OutputItem[] = []
  let content: MessageContent[] = []
  const flush = (): void => {
    if (content.length > 0) items.push(messageItem(ids.item('msg'), content, 'completed'))
    content = []
  }
  for (const part of parts) {
    if (part.type === 'text' || part.type === 'refusal') {
      // Refusals as text: Codex only reads output_text parts (docs/protocols.md §3.5 item 20).
      if (part.text !== '') content.push(outputText(part.text))
    } else {
      flush()
      items.push(part.type === 'reasoning' ? reasoningOf(part, ids) : callItem(part, ids))
    }
  }
  flush()
  return items
}

function reasoningOf(part: Extract<OutputPart, { type: 'reasoning' }>, ids: AnswerIds): OutputReasoning {
  const encrypted = part.opaque !== undefined ? encryptedContent(part.opaque) : undefined
  return reasoningItem(ids.item('rs'), part.text, encrypted)
}

function callItem(part: ToolCallPart, ids: AnswerIds): OutputItem {
  const callId = clientCallId(part.id, part.opaque)
  if (part.kind === 'custom') return customCallItem(ids.item('ctc'), callId, part.name, part.arguments)
  return functionCallItem(ids.item('fc'), callId, part.name, part.arguments === '' ? '{}' : part.arguments, 'completed')
}

/** How a stop reason ends a Responses answer (docs/protocols.md §3.3). */
export function terminalOf(stop: StopReason): { status: 'completed' | 'incomplete' | 'failed'; reason: 'max_output_tokens' | 'content_filter' | null } {
  switch (stop) {
    case 'max_tokens':
    case 'context_window':
      return { status: 'incomplete', reason: 'max_output_tokens' }
    case 'content_filter':
    case 'refusal':
      return { status: 'incomplete', reason: 'content_filter' }
    case 'error':
      return { status: 'failed', reason: null }
    default:
      return { status: 'completed', reason: null }
  }
}
