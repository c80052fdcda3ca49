import type { Opaque } from '../../canonical/opaque'
import type { StopReason } from '../../canonical/response'
import type { StreamEncoder, StreamEvent } from '../../canonical/stream-event'
import { NO_USAGE, type Usage } from '../../canonical/usage'
import type { RelayError } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { codexFailure } from './errors'
import { AnswerIds, terminalOf } from './output-items'
import { responseShell } from './response-object'
import { EventWriter, ItemStream, type OpenMessage, type OpenReasoning, type OpenTool } from './stream-items'
import type { JsonObject } from './types'
import { usageToResponses } from './usage'

/**
 * Canonical events → Responses SSE for Codex and openai-node (docs/protocols.md §2.2, §3.4 C):
 * response.created + response.in_progress first; every item opens with output_item.added and
 * closes with output_item.done carrying the whole item; exactly one terminal event, written
 * by end() because usage may follow finish; after an error only response.failed.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly writer = new EventWriter()
  private readonly items: ItemStream
  private readonly shell: JsonObject
  private started = false
  private over = false
  private message: OpenMessage | null = null
  private reasoning: OpenReasoning | null = null
  /** Tool items by canonical call index; they stay open until finish, as a Chat upstream may interleave their arguments. */
  private readonly tools = new Map<number, OpenTool>()
  private stop: StopReason | null = null
  private usage: Usage = NO_USAGE

  constructor(ctx: EncodeContext) {
    const ids = new AnswerIds(ctx.requestId)
    this.items = new ItemStream(this.writer, ids)
    this.shell = responseShell(ctx, ids.response)
  }

  push(event: StreamEvent): string {
    if (this.over) return ''
    const out = this.begin()
    switch (event.type) {
      case 'start':
        return out
      // Refusal text is written as text: Codex only reads output_text parts and drops a message holding a refusal part.
      case 'text_delta':
      case 'refusal_delta':
        return out + this.messageDelta(event.text)
      case 'reasoning_delta':
        return out + this.reasoningDelta(event.text)
      case 'reasoning_done':
        return out + this.reasoningDone(event.opaque)
      case 'reasoning_redacted':
        return out + this.closeReasoning() + this.reasoningDone(event.opaque)
      case 'tool_call_start': {
        if (this.tools.has(event.index)) return out
        const text = this.closeMessage('completed') + this.closeReasoning()
        const tool = this.items.openTool(event)
        this.tools.set(event.index, tool)
        return out + text + tool.frames
      }
      case 'tool_call_delta': {
        const tool = this.tools.get(event.index)
        if (tool === undefined || tool.closed || event.arguments === '') return out
        return out + this.items.toolDelta(tool, event.arguments)
      }
      case 'usage':
        this.usage = event.usage
        return out
      case 'finish':
        this.stop = event.stop
        return out + this.closeAll()
      case 'error':
        return out + this.fail(event.error)
    }
  }

  end(): string {
    if (this.over) return ''
    const out = this.begin() + this.closeAll()
    this.over = true
    const stop = this.stop ?? 'end'
    const { status, reason } = terminalOf(stop)
    if (status === 'failed') return out + this.failed('server_error', 'The upstream reported a failed response.')
    const response = {
      ...this.shell,
      status,
      incomplete_details: reason !== null ? { reason } : null,
      output: this.items.closedItems(),
      usage: usageToResponses(this.usage)
    }
    return out + this.writer.frame(status === 'completed' ? 'response.completed' : 'response.incomplete', { response })
  }

  private begin(): string {
    if (this.started) return ''
    this.started = true
    return this.writer.frame('response.created', { response: this.shell }) + this.writer.frame('response.in_progress', { response: this.shell })
  }

  private messageDelta(text: string): string {
    if (text === '') return ''
    let out = this.closeReasoning()
    if (this.message === null) {
      this.message = this.items.openMessage()
      out += this.message.frames
    }
    return out + this.items.messageDelta(this.message, text)
  }

  private reasoningDelta(text: string): string {
    if (text === '') return ''
    let out = this.closeMessage('completed')
    if (this.reasoning === null) {
      this.reasoning = this.items.openReasoning()
      out += this.reasoning.frames
    }
    return out + this.items.reasoningDelta(this.reasoning, text)
  }

  /** Ends the current reasoning segment; an artefact without text still gets an item, so it can travel back. */
  private reasoningDone(opaque: Opaque | undefined): string {
    let out = ''
    if (this.reasoning === null) {
      if (opaque === undefined) return ''
      out += this.closeMessage('completed')
      this.reasoning = this.items.openReasoning()
      out += this.reasoning.frames
    }
    const reasoning = this.reasoning
    this.reasoning = null
    return out + this.items.closeReasoning(reasoning, opaque)
  }

  private closeReasoning(): string {
    return this.reasoning === null ? '' : this.reasoningDone(undefined)
  }

  private closeMessage(status: 'completed' | 'incomplete'): string {
    const message = this.message
    if (message === null) return ''
    this.message = null
    return this.items.closeMessage(message, status)
  }

  /** Closes every open item in output order. */
  private closeAll(): string {
    const cut = this.stop !== null && terminalOf(this.stop).status === 'incomplete'
    const open: Array<{ index: number; close: () => string }> = []
    if (this.message !== null) open.push({ index: this.message.index, close: () => this.closeMessage(cut ? 'incomplete' : 'completed') })
    if (this.reasoning !== null) open.push({ index: this.reasoning.index, close: () => this.closeReasoning() })
    for (const tool of this.tools.values()) if (!tool.closed) open.push({ index: tool.index, close: () => this.items.closeTool(tool) })
    return open
      .sort((a, b) => a.index - b.index)
      .map(item => item.close())
      .join('')
  }

  private fail(error: RelayError): string {
    this.over = true
    const { code, message } = codexFailure(error)
    return this.failed(code, message)
  }

  private failed(code: string, message: string): string {
    this.over = true
    const response = { ...this.shell, status: 'failed', error: { code, message }, output: this.items.closedItems(), usage: usageToResponses(this.usage) }
    return this.writer.frame('response.failed', { response })
  }
}
