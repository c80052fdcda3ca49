import type { CanonicalRequest, FilePart, ImagePart, Part, ToolCallPart, ToolResultPart } from '../../canonical/request'
import { pairToolResults } from '../../canonical/tool-pairing'
import type { ChatCompletionContentPart, ChatCompletionMessageParam, ChatCompletionMessageToolCall, ChatMessage } from './types'
import { urlOfSource } from './media'

/** An image as an `image_url` part; null for an image by file id, which Chat cannot reference (its files are documents). */
function imageContent(part: ImagePart): ChatCompletionContentPart | null {
  const { source } = part
  if (source.kind === 'file_id') return null
  return { type: 'image_url', image_url: { url: urlOfSource(source), ...(part.detail !== undefined ? { detail: part.detail } : {}) } }
}

/** The image parts of a tool result that Chat can send (in the user message after the tool messages). */
function resultImages(result: ToolResultPart): ChatCompletionContentPart[] {
  return result.content.flatMap(p => (p.type === 'image' ? (imageContent(p) ?? []) : []))
}

/** Chat files are bytes or a file id; a document known only by URL becomes a line of text naming it. */
function fileContent(part: FilePart): ChatCompletionContentPart {
  const filename = part.filename !== undefined ? { filename: part.filename } : {}
  switch (part.source.kind) {
    case 'file_id':
      return { type: 'file', file: { file_id: part.source.fileId, ...filename } }
    case 'base64':
      return { type: 'file', file: { file_data: urlOfSource(part.source), ...filename } }
    case 'url':
      return { type: 'text', text: part.filename !== undefined ? `[${part.filename}](${part.source.url})` : part.source.url }
  }
}

function userContent(part: Part): ChatCompletionContentPart | null {
  if (part.type === 'text') return { type: 'text', text: part.text }
  if (part.type === 'image') return imageContent(part)
  if (part.type === 'file') return fileContent(part)
  return null
}

/** Plain text as a string (what every compatible server accepts), anything richer as parts. */
function contentValue(parts: ChatCompletionContentPart[]): string | ChatCompletionContentPart[] {
  const texts = parts.flatMap(p => (p.type === 'text' ? [p.text] : []))
  return texts.length === parts.length ? texts.join('\n') : parts
}

function toolMessage(result: ToolResultPart): ChatCompletionMessageParam {
  const text = result.content.flatMap(p => (p.type === 'text' ? [p.text] : [])).join('\n')
  const images = resultImages(result).length
  // Chat tool messages are text only; the images follow in a user message, so say so rather than send nothing.
  const body = text === '' && images > 0 ? `[${images} image(s) in the next message]` : text
  return { role: 'tool', tool_call_id: result.callId, content: result.isError ? `Error: ${body}` : body }
}

/**
 * A canonical user turn: one `tool` message per result (Chat has no other place for them), then
 * one user message with the results' images followed by the turn's own content.
 */
function userMessages(parts: Part[]): ChatCompletionMessageParam[] {
  const results = parts.filter((p): p is ToolResultPart => p.type === 'tool_result')
  const out = results.map(toolMessage)
  const content = [
    ...results.flatMap(resultImages),
    ...parts.flatMap(p => {
      const c = userContent(p)
      return c !== null ? [c] : []
    })
  ]
  if (content.length > 0 || results.length === 0) out.push({ role: 'user', content: contentValue(content) })
  return out
}

function toolCall(part: ToolCallPart): ChatCompletionMessageToolCall {
  if (part.kind === 'custom') return { id: part.id, type: 'custom', custom: { name: part.name, input: part.arguments } }
  // vLLM and others parse the arguments to render the chat template; empty text is not JSON.
  return { id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments } }
}

/**
 * A canonical assistant turn as ONE Chat message: every text in `content` (text after a tool call
 * is kept, a blank line marking where the call was), refusals as text (compatible servers do not
 * know the `refusal` field). Reasoning text goes back as `reasoning_content` only when
 * `echoReasoning` (never a signature); otherwise it is dropped. Null when nothing is left.
 */
function assistantMessage(parts: Part[], echoReasoning: boolean): ChatMessage | null {
  let content = ''
  let gap = false
  for (const part of parts) {
    if (part.type === 'text' || part.type === 'refusal') {
      content += gap && content !== '' ? `\n\n${part.text}` : part.text
      gap = false
    } else if (part.type === 'tool_call') gap = true
  }
  const calls = parts.filter((p): p is ToolCallPart => p.type === 'tool_call').map(toolCall)
  if (content === '' && calls.length === 0) return null
  const message: ChatCompletionMessageParam = { role: 'assistant', content: content === '' ? null : content, ...(calls.length > 0 ? { tool_calls: calls } : {}) }
  const reasoning = echoReasoning ? parts.flatMap(p => (p.type === 'reasoning' ? [p.text] : [])).join('') : ''
  return reasoning === '' ? message : { ...message, reasoning_content: reasoning }
}

/**
 * The `messages` of a Chat request: the system segments as one leading `system` message, then the
 * turns in order, every tool call answered by a tool message right after it (OpenAI answers 400
 * otherwise). `echoReasoning`: the upstream wants earlier reasoning back (DeepSeek thinking mode
 * answers 400 when a tool-calling turn lacks its `reasoning_content`).
 */
export function buildMessages(request: CanonicalRequest, echoReasoning: boolean): ChatMessage[] {
  const out: ChatMessage[] = []
  // `system`, never `developer`: many compatible servers reject the newer role.
  const system = request.system.map(s => s.text).filter(t => t.trim() !== '')
  if (system.length > 0) out.push({ role: 'system', content: system.join('\n\n') })
  for (const message of pairToolResults(request.messages)) {
    if (message.role === 'assistant') {
      const built = assistantMessage(message.parts, echoReasoning)
      if (built !== null) out.push(built)
    } else if (message.role === 'system') {
      const text = message.parts.flatMap(p => (p.type === 'text' ? [p.text] : [])).join('\n')
      if (text.trim() !== '') out.push({ role: 'system', content: text })
    } else {
      out.push(...userMessages(message.parts))
    }
  }
  return out
}
