import type { CanonicalResponse, OutputPart } from '../../canonical/response'
import type { ToolCallPart } from '../../canonical/request'
import { attachToId } from '../../canonical/opaque'
import { NO_USAGE } from '../../canonical/usage'
import type { EncodeContext } from '../protocol-adapter'
import { relayErrors } from '../../relay-errors'
import { finishReasonForChat, stopFromChat } from './finish-reason'
import { isRecord, list, str } from './guards'
import { assistantParts } from './parse-messages'
import type { ChatAnswer, ChatAnswerMessage, ChatCompletionMessageToolCall } from './types'
import { usageFromChat, usageToChat } from './usage'
import { relayErrorFromChat } from './errors'

/** The id a Chat client sees for Cuttle request `requestId` (every chunk of a stream shares it). */
export function chatCompletionId(requestId: string): string {
  return `chatcmpl-${requestId}`
}

/** A Chat client has no field for a tool call's artefact (a Gemini thoughtSignature): it rides in the id. */
export function clientToolCallId(part: Pick<ToolCallPart, 'id' | 'opaque'>): string {
  return part.opaque !== undefined ? attachToId(part.id, part.opaque) : part.id
}

/** An upstream `chat.completion` body → canonical (first choice). */
export function decodeChatResponse(body: unknown): CanonicalResponse {
  if (!isRecord(body)) throw relayErrors.upstreamFailed(502, 'The upstream answer is not a JSON object.')
  if (body.error !== undefined && body.error !== null) throw relayErrorFromChat(body.error)
  const choice = list(body.choices).find(c => isRecord(c) && (c.index === undefined || c.index === 0))
  if (!isRecord(choice)) throw relayErrors.upstreamFailed(502, 'The upstream answer has no choices.')
  const message = isRecord(choice.message) ? choice.message : {}
  let legacy = 0
  const parts = assistantParts(message, () => `call_legacy_${legacy++}`).filter(
    (p): p is OutputPart => p.type === 'text' || p.type === 'reasoning' || p.type === 'tool_call' || p.type === 'refusal'
  )
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: stopFromChat(choice.finish_reason, parts.some(p => p.type === 'tool_call')),
    usage: usageFromChat(body.usage) ?? NO_USAGE
  }
}

function wireToolCall(part: ToolCallPart): ChatCompletionMessageToolCall {
  const id = clientToolCallId(part)
  return part.kind === 'custom'
    ? { id, type: 'custom', custom: { name: part.name, input: part.arguments } }
    : { id, type: 'function', function: { name: part.name, arguments: part.arguments } }
}

/** Texts joined; a blank line where a tool call separated two of them (Chat has one content string). */
function joinTexts(parts: OutputPart[], type: 'text' | 'refusal'): string {
  let out = ''
  let gap = false
  for (const part of parts) {
    if (part.type === type) {
      out += gap && out !== '' ? `\n\n${part.text}` : part.text
      gap = false
    } else if (part.type === 'tool_call') gap = true
  }
  return out
}

/** A canonical answer as a `chat.completion` body for a Chat client. */
export function encodeChatResponse(response: CanonicalResponse, ctx: EncodeContext): ChatAnswer {
  const content = joinTexts(response.parts, 'text')
  const refusal = joinTexts(response.parts, 'refusal')
  const reasoning = response.parts.flatMap(p => (p.type === 'reasoning' ? [p.text] : [])).join('')
  const calls = response.parts.filter((p): p is ToolCallPart => p.type === 'tool_call').map(wireToolCall)
  const message: ChatAnswerMessage = {
    role: 'assistant',
    content: content === '' && (calls.length > 0 || refusal !== '') ? null : content,
    refusal: refusal === '' ? null : refusal,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {})
  }
  return {
    id: chatCompletionId(ctx.requestId),
    object: 'chat.completion',
    created: Math.floor(ctx.createdAt / 1000),
    model: ctx.clientModel,
    choices: [{ index: 0, message, finish_reason: finishReasonForChat(response.stop), logprobs: null }],
    usage: usageToChat(response.usage)
  }
}
