import type { Opaque } from '../../canonical/opaque'
import { sseFrame } from '../../sse'
import {
  clientCallId,
  customCallItem,
  encryptedContent,
  functionCallItem,
  messageItem,
  outputText,
  reasoningItem,
  type AnswerIds
} from './output-items'
import type { JsonObject, OutputItem, OutputMessage } from './types'

/** Numbers the events of one stream (`sequence_number` 0, 1, 2, … — Codex and the SDK expect it). */
export class EventWriter {
  private sequence = 0

  /** One SSE frame: `event: <type>` and a data object starting with type and sequence_number. */
  frame(type: string, payload: JsonObject): string {
    return sseFrame(type, JSON.stringify({ type, sequence_number: this.sequence++, ...payload }))
  }
}

/** The items of one answer as they stream: each opens with output_item.added and closes with output_item.done. */
export class ItemStream {
  /** Closed items by output_index, for the terminal event's `output`. */
  private readonly output: OutputItem[] = []
  private next = 0

  constructor(
    private readonly writer: EventWriter,
    private readonly ids: AnswerIds
  ) {}

  /** Opens an item at the next output_index. */
  private open(item: OutputItem): { index: number; frames: string } {
    const index = this.next++
    return { index, frames: this.writer.frame('response.output_item.added', { output_index: index, item }) }
  }

  /** Closes the item at `index` with its complete form. */
  private close(index: number, item: OutputItem): string {
    this.output[index] = item
    return this.writer.frame('response.output_item.done', { output_index: index, item })
  }

  /** Items closed so far, in output order. */
  closedItems(): OutputItem[] {
    return this.output.filter((item): item is OutputItem => item !== undefined)
  }

  /** A new assistant message (a text part follows). */
  openMessage(): OpenMessage {
    const id = this.ids.item('msg')
    const { index, frames } = this.open(messageItem(id, [], 'in_progress'))
    return { index, id, content: [], text: null, frames }
  }

  /** Appends text to the message, opening its text part first when needed. */
  messageDelta(message: OpenMessage, delta: string): string {
    const at = { item_id: message.id, output_index: message.index, content_index: message.content.length }
    let out = ''
    if (message.text === null) {
      message.text = ''
      out += this.writer.frame('response.content_part.added', { ...at, part: outputText('') })
    }
    message.text += delta
    return out + this.writer.frame('response.output_text.delta', { ...at, delta, logprobs: [] })
  }

  /** Closes the open content part and the message. */
  closeMessage(message: OpenMessage, status: OutputMessage['status']): string {
    return this.closePart(message) + this.close(message.index, messageItem(message.id, message.content, status))
  }

  /** A new reasoning item; its summary part opens with the first text. */
  openReasoning(): OpenReasoning {
    const id = this.ids.item('rs')
    const { index, frames } = this.open(reasoningItem(id, '', undefined))
    return { index, id, text: null, frames }
  }

  /** Appends summary text to the reasoning item. */
  reasoningDelta(reasoning: OpenReasoning, delta: string): string {
    const at = { item_id: reasoning.id, output_index: reasoning.index, summary_index: 0 }
    let out = ''
    if (reasoning.text === null) {
      reasoning.text = ''
      out += this.writer.frame('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } })
    }
    reasoning.text += delta
    return out + this.writer.frame('response.reasoning_summary_text.delta', { ...at, delta })
  }

  /** Closes the reasoning item; its artefact (if any) rides in `encrypted_content`. */
  closeReasoning(reasoning: OpenReasoning, opaque: Opaque | undefined): string {
    let out = ''
    const text = reasoning.text ?? ''
    if (reasoning.text !== null) {
      const at = { item_id: reasoning.id, output_index: reasoning.index, summary_index: 0 }
      out += this.writer.frame('response.reasoning_summary_text.done', { ...at, text })
      out += this.writer.frame('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } })
    }
    const encrypted = opaque !== undefined ? encryptedContent(opaque) : undefined
    return out + this.close(reasoning.index, reasoningItem(reasoning.id, text, encrypted))
  }

  /** A new function or custom tool call item. */
  openTool(start: { id: string; name: string; kind: 'function' | 'custom'; opaque?: Opaque }): OpenTool {
    const custom = start.kind === 'custom'
    const id = this.ids.item(custom ? 'ctc' : 'fc')
    const callId = clientCallId(start.id, start.opaque)
    const item = custom ? customCallItem(id, callId, start.name, '') : functionCallItem(id, callId, start.name, '', 'in_progress')
    const { index, frames } = this.open(item)
    return { index, id, callId, name: start.name, custom, args: '', closed: false, frames }
  }

  /** More arguments (or raw input) for a tool call item. */
  toolDelta(tool: OpenTool, delta: string): string {
    tool.args += delta
    const type = tool.custom ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta'
    return this.writer.frame(type, { item_id: tool.id, output_index: tool.index, delta })
  }

  /** Closes a tool call item with its full arguments (`{}` for a function called without any). */
  closeTool(tool: OpenTool): string {
    tool.closed = true
    const at = { item_id: tool.id, output_index: tool.index }
    if (tool.custom) {
      return (
        this.writer.frame('response.custom_tool_call_input.done', { ...at, input: tool.args }) +
        this.close(tool.index, customCallItem(tool.id, tool.callId, tool.name, tool.args))
      )
    }
    const out = tool.args === '' ? this.toolDelta(tool, '{}') : ''
    return (
      out +
      this.writer.frame('response.function_call_arguments.done', { ...at, name: tool.name, arguments: tool.args }) +
      this.close(tool.index, functionCallItem(tool.id, tool.callId, tool.name, tool.args, 'completed'))
    )
  }

  private closePart(message: OpenMessage): string {
    const { text } = message
    if (text === null) return ''
    message.text = null
    const at = { item_id: message.id, output_index: message.index, content_index: message.content.length }
    const full = outputText(text)
    message.content.push(full)
    return this.writer.frame('response.output_text.done', { ...at, text, logprobs: [] }) + this.writer.frame('response.content_part.done', { ...at, part: full })
  }
}

/** A message item being written. */
export interface OpenMessage {
  index: number
  id: string
  content: OutputMessage['content']
  /** The open text part's text; null when no part is open. */
  text: string | null
  /** The frames that opened it. */
  frames: string
}

/** A reasoning item being written; `text` is null until its summary part opens. */
export interface OpenReasoning {
  index: number
  id: string
  text: string | null
  frames: string
}

/** A tool call item being written. */
export interface OpenTool {
  index: number
  id: string
  callId: string
  name: string
  custom: boolean
  args: string
  closed: boolean
  frames: string
}
