import { arr, isObject, str, type JsonObject } from './json'

/** The envelope prefix `sealOpaque` puts on artefacts minted by another protocol. */
const SEALED = 'cuttle1.'

/** Whether a history block is reasoning Anthropic did not sign: display-only or minted elsewhere. */
function isForeignReasoning(block: unknown): boolean {
  if (!isObject(block)) return false
  if (block.type === 'thinking') {
    const signature = str(block.signature) ?? ''
    return signature === '' || signature.startsWith(SEALED)
  }
  return block.type === 'redacted_thinking' && (str(block.data) ?? '').startsWith(SEALED)
}

/**
 * A Claude Code history that was answered by another provider carries thinking blocks with an
 * empty or sealed signature; Anthropic rejects them ("Invalid signature"), so they are removed
 * before a pass-through (§7 invariant 5). When that leaves the open tool loop without its
 * thinking, `thinking` is switched off as the API demands (§3.5 item 3). The body is returned
 * as is when it holds no such block.
 */
export function withoutForeignThinking(body: Record<string, unknown>): Record<string, unknown> {
  const messages = arr(body.messages)
  const touched = messages.some(m => isObject(m) && m.role === 'assistant' && Array.isArray(m.content) && m.content.some(isForeignReasoning))
  if (!touched) return body
  const kept = messages.flatMap((message): unknown[] => {
    if (!isObject(message) || message.role !== 'assistant' || !Array.isArray(message.content)) return [message]
    const content = message.content.filter(block => !isForeignReasoning(block))
    // An assistant turn that held nothing else goes entirely; the API joins the user turns around it.
    return content.length > 0 ? [{ ...message, content }] : []
  })
  const { thinking: _dropped, ...rest } = body
  return openLoopSigned(kept) ? { ...body, messages: kept } : { ...rest, messages: kept }
}

/** Whether the assistant message of the open tool loop (if any) still starts with signed thinking. */
function openLoopSigned(messages: unknown[]): boolean {
  const last = messages.findLastIndex(m => isObject(m) && m.role === 'assistant')
  const next = messages[last + 1]
  if (last === -1 || !isObject(next) || !arr(next.content).some(b => isObject(b) && b.type === 'tool_result')) return true
  const assistant = messages[last]
  const first: JsonObject | undefined = isObject(assistant) ? arr(assistant.content).find(isObject) : undefined
  return first?.type === 'thinking' || first?.type === 'redacted_thinking'
}
