import { createHash } from 'node:crypto'
import { opaqueFor } from '../../canonical/opaque'
import type { Message, Part, ToolResultPart } from '../../canonical/request'
import { imageBlock, fileBlock } from './build-media'
import { argumentsObject } from './json'
import { ANTHROPIC, type ImageBlockParam, type TextBlockParam, type ToolResultBlockParam, type WireBlock, type WireMessage } from './types'

/** Text Anthropic gets where a user turn would otherwise be empty (it rejects empty content). */
const EMPTY_TURN = '(empty)'
/** Result given to a tool call the history never answered (the API rejects unanswered calls). */
const MISSING_RESULT = '(no result was recorded for this tool call)'
/** Anthropic allows at most this many `cache_control` breakpoints per request. */
const MAX_BREAKPOINTS = 4

/**
 * A tool id Anthropic accepts (`^[a-zA-Z0-9_-]+$`). The same pure function maps tool_use and
 * tool_result ids, so pairs stay paired; a hash of the original keeps distinct ids distinct.
 */
export function anthropicToolId(id: string): string {
  if (/^[a-zA-Z0-9_-]+$/.test(id)) return id
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12)
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '_')}_${hash}`
}

/** Hands out the few cache breakpoints Anthropic allows, first come first served. */
export function cacheBudget(): (wanted: boolean | undefined) => { cache_control?: { type: 'ephemeral' } } {
  let left = MAX_BREAKPOINTS
  return wanted => {
    if (wanted !== true || left === 0) return {}
    left -= 1
    return { cache_control: { type: 'ephemeral' } }
  }
}

/** A text block, or nothing when the text is empty or whitespace (Anthropic rejects those, §4 case 17). */
export function textBlock(text: string, cache: ReturnType<typeof cacheBudget>, wanted?: boolean): TextBlockParam[] {
  return text.trim() === '' ? [] : [{ type: 'text', text, ...cache(wanted) }]
}

/**
 * Canonical messages → Anthropic messages: mid-conversation system turns become user text,
 * empty assistant turns go, same-role neighbours merge, every tool_use gets a tool_result in the
 * next message (one is added after a history ending on tool calls), tool results come first in
 * their message (§4 case 18), empty user turns get text.
 */
export function buildMessages(messages: Message[], cache: ReturnType<typeof cacheBudget>): WireMessage[] {
  const converted = messages
    .map((message): WireMessage => {
      const role = message.role === 'assistant' ? 'assistant' : 'user'
      const parts = message.role === 'system' ? asUserText(message.parts) : message.parts
      return { role, content: parts.flatMap(part => partBlocks(part, role, cache)) }
    })
    .filter(message => message.role === 'user' || message.content.length > 0)
  const merged: WireMessage[] = []
  for (const message of converted) {
    const last = merged.at(-1)
    if (last?.role === message.role) last.content.push(...message.content)
    else merged.push({ role: message.role, content: [...message.content] })
  }
  // A history that ends on tool calls still owes their results; an empty user turn gets them below.
  if (merged.at(-1)?.content.some(block => block.type === 'tool_use') === true) merged.push({ role: 'user', content: [] })
  return merged.map((message, i) => {
    if (message.role === 'assistant') return message
    const content = pairResults(message.content, merged[i - 1])
    return { role: 'user', content: content.length > 0 ? content : [{ type: 'text', text: EMPTY_TURN }] }
  })
}

/** A system turn in the middle of a conversation: Anthropic has one system slot, so it is said as user text. */
function asUserText(parts: Part[]): Part[] {
  return parts.flatMap((part): Part[] => (part.type === 'text' && part.text.trim() !== '' ? [{ type: 'text', text: `[system] ${part.text}` }] : []))
}

function partBlocks(part: Part, role: WireMessage['role'], cache: ReturnType<typeof cacheBudget>): WireBlock[] {
  switch (part.type) {
    case 'text':
      return textBlock(part.text, cache, part.cache)
    case 'refusal':
      return textBlock(part.text, cache)
    case 'image': {
      const block = role === 'user' ? imageBlock(part.source) : null
      return block ? [block] : []
    }
    case 'file': {
      const block = role === 'user' ? fileBlock(part) : null
      return block ? [block] : []
    }
    case 'tool_call':
      return role === 'assistant' ? [{ type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: argumentsObject(part.arguments) }] : []
    case 'tool_result':
      return role === 'user' ? [toolResultBlock(part)] : []
    case 'reasoning': {
      // Only Anthropic's own signed blocks go back, byte-identical; unsigned or foreign reasoning is dropped (§4 cases 9, 10).
      const value = role === 'assistant' ? opaqueFor(part.opaque, ANTHROPIC) : undefined
      if (value === undefined) return []
      return part.opaque?.redacted ? [{ type: 'redacted_thinking', data: value }] : [{ type: 'thinking', thinking: part.text, signature: value }]
    }
  }
}

function toolResultBlock(part: ToolResultPart): ToolResultBlockParam {
  const content = part.content.flatMap((item): Array<TextBlockParam | ImageBlockParam> => {
    if (item.type === 'text') return item.text.trim() === '' ? [] : [{ type: 'text', text: item.text }]
    const image = imageBlock(item.source)
    return image ? [image] : []
  })
  return {
    type: 'tool_result',
    tool_use_id: anthropicToolId(part.callId),
    ...(content.length > 0 ? { content } : {}),
    ...(part.isError ? { is_error: true } : {})
  }
}

/**
 * A user message's blocks with its tool results first. Each tool_use of the preceding assistant
 * message gets a result (a placeholder when the history lost it); a result no call asked for
 * becomes plain text, since the API rejects unmatched ids.
 */
function pairResults(content: WireBlock[], previous: WireMessage | undefined): WireBlock[] {
  const callIds = (previous?.role === 'assistant' ? previous.content : []).flatMap(block => (block.type === 'tool_use' ? [block.id] : []))
  const results: ToolResultBlockParam[] = []
  const others: WireBlock[] = []
  for (const block of content) {
    if (block.type !== 'tool_result') others.push(block)
    else if (callIds.includes(block.tool_use_id)) results.push(block)
    else others.push(...orphanText(block))
  }
  const answered = new Set(results.map(block => block.tool_use_id))
  for (const id of callIds) {
    if (!answered.has(id)) results.push({ type: 'tool_result', tool_use_id: id, content: MISSING_RESULT, is_error: true })
  }
  return [...results, ...others]
}

function orphanText(block: ToolResultBlockParam): WireBlock[] {
  const content = typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : (block.content ?? [])
  const text = content.flatMap(item => (item.type === 'text' ? [item.text] : [])).join('\n')
  return text.trim() === '' ? [] : [{ type: 'text', text: `[tool result ${block.tool_use_id}] ${text}` }]
}
