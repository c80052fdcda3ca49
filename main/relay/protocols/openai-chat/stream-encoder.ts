import type { StreamEncoder, StreamEvent } from '../../canonical/stream-event'
import type { Usage } from '../../canonical/usage'
import { NO_USAGE } from '../../canonical/usage'
import type { EncodeContext } from '../protocol-adapter'
import { sseFrame } from '../../sse'
import { chatStreamErrorEvent } from './errors'
import { finishReasonForChat, type ChatFinishReason } from './finish-reason'
import { chatCompletionId, clientToolCallId } from './response'
import type { ChatChunk, ChunkDelta } from './types'
import { usageToChat } from './usage'

/**
 * Canonical events → Chat Completions SSE for a Chat client (openai-node, editors): a role chunk,
 * content / `reasoning_content` / refusal / tool call chunks, a finish chunk, then — only when the
 * client asked with `stream_options.include_usage` — one `choices: []` usage chunk, then `[DONE]`
 * (docs/protocols.md §2.1, §4 case 27). An error is one `{"error":…}` chunk and nothing after it.
 */
class ChatStreamEncoder implements StreamEncoder {
  private readonly id: string
  private readonly created: number
  private started = false
  private finished = false
  private failed = false
  private usage: Usage | null = null
  /** Kind of each started tool call by canonical index: custom calls stream as `custom.input`. */
  private readonly kinds = new Map<number, 'function' | 'custom'>()

  constructor(private readonly ctx: EncodeContext) {
    this.id = chatCompletionId(ctx.requestId)
    this.created = Math.floor(ctx.createdAt / 1000)
  }

  push(event: StreamEvent): string {
    if (this.failed) return ''
    switch (event.type) {
      case 'start':
        return this.opening()
      case 'text_delta':
        return event.text === '' ? '' : this.opening() + this.chunk({ content: event.text })
      case 'reasoning_delta':
        return event.text === '' ? '' : this.opening() + this.chunk({ reasoning_content: event.text })
      case 'refusal_delta':
        return event.text === '' ? '' : this.opening() + this.chunk({ refusal: event.text })
      case 'tool_call_start': {
        this.kinds.set(event.index, event.kind)
        const id = clientToolCallId(event)
        const call =
          event.kind === 'custom'
            ? { index: event.index, id, type: 'custom' as const, custom: { name: event.name, input: '' } }
            : { index: event.index, id, type: 'function' as const, function: { name: event.name, arguments: '' } }
        return this.opening() + this.chunk({ tool_calls: [call] })
      }
      case 'tool_call_delta': {
        if (event.arguments === '') return ''
        const call =
          this.kinds.get(event.index) === 'custom'
            ? { index: event.index, custom: { input: event.arguments } }
            : { index: event.index, function: { arguments: event.arguments } }
        return this.opening() + this.chunk({ tool_calls: [call] })
      }
      case 'usage':
        this.usage = event.usage
        return ''
      case 'finish':
        return this.finish(finishReasonForChat(event.stop))
      case 'error':
        this.failed = true
        return chatStreamErrorEvent(event.error)
      default:
        // reasoning_done / reasoning_redacted: Chat has no field for a reasoning artefact.
        return ''
    }
  }

  end(): string {
    if (this.failed) return ''
    // Usage can arrive after finish (Chat and Anthropic upstreams), so the usage chunk waits for the end.
    const usage = this.ctx.request.streamUsage
      ? sseFrame(null, JSON.stringify({ ...this.base(), choices: [], usage: usageToChat(this.usage ?? NO_USAGE) }))
      : ''
    return this.finish('stop') + usage + sseFrame(null, '[DONE]')
  }

  private finish(reason: Exclude<ChatFinishReason, 'function_call'>): string {
    if (this.finished) return ''
    this.finished = true
    return this.opening() + this.chunk({}, reason)
  }

  /** The role chunk every Chat stream starts with, once. */
  private opening(): string {
    if (this.started) return ''
    this.started = true
    return this.chunk({ role: 'assistant', content: '' })
  }

  private base(): Omit<ChatChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.ctx.clientModel }
  }

  private chunk(delta: ChunkDelta, finishReason: Exclude<ChatFinishReason, 'function_call'> | null = null): string {
    const chunk: ChatChunk = { ...this.base(), choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] }
    return sseFrame(null, JSON.stringify(chunk))
  }
}

/** An encoder for one Chat client stream. */
export function createChatStreamEncoder(ctx: EncodeContext): StreamEncoder {
  return new ChatStreamEncoder(ctx)
}
