import type { CanonicalRequest, ToolCallPart } from './request'
import type { CanonicalResponse } from './response'
import type { StreamEvent } from './stream-event'

/**
 * Free-form (`custom`) tools exist only in OpenAI's APIs (Codex's `apply_patch` with a Lark
 * grammar). For other upstreams a custom tool becomes a function taking one string, and a call
 * of it comes back as `{"input": "…"}`, unwrapped here into the raw input the client expects
 * (docs/protocols.md §3.5 item 12, §4 case 23).
 */
const FIELD = 'input'

/** Names of the client's custom tools. */
export function customToolNames(request: CanonicalRequest): Set<string> {
  return new Set(request.tools.filter(tool => tool.kind === 'custom').map(tool => tool.name))
}

/** The request with custom tools, their calls and their results expressed as plain functions. */
export function customToolsAsFunctions(request: CanonicalRequest): CanonicalRequest {
  if (!request.tools.some(t => t.kind === 'custom') && !request.messages.some(m => m.parts.some(p => p.type === 'tool_call' && p.kind === 'custom'))) {
    return request
  }
  return {
    ...request,
    tools: request.tools.map(tool =>
      tool.kind === 'custom'
        ? {
            name: tool.name,
            ...(tool.description !== undefined ? { description: tool.description } : {}),
            kind: 'function' as const,
            parameters: {
              type: 'object',
              properties: { [FIELD]: { type: 'string', description: grammarHint(tool.customFormat) } },
              required: [FIELD]
            }
          }
        : tool
    ),
    messages: request.messages.map(message => ({
      ...message,
      parts: message.parts.map(part =>
        part.type === 'tool_call' && part.kind === 'custom'
          ? { ...part, kind: 'function' as const, arguments: JSON.stringify({ [FIELD]: part.arguments }) }
          : part.type === 'tool_result' && part.custom
            ? { ...part, custom: false }
            : part
      )
    }))
  }
}

function grammarHint(format: Record<string, unknown> | undefined): string {
  const definition = format?.definition
  return typeof definition === 'string' ? `Raw input in this grammar:\n${definition}` : 'Raw input text.'
}

/** The raw input inside a function call's arguments, or the arguments themselves when not wrapped. */
function unwrap(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args)
    const input = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[FIELD] : undefined
    if (typeof input === 'string') return input
  } catch {
    // not JSON: the model wrote the input directly
  }
  return args
}

/** Calls of custom tools in a finished answer, back to their raw input. */
export function restoreCustomCalls(response: CanonicalResponse, names: ReadonlySet<string>): CanonicalResponse {
  if (names.size === 0) return response
  return {
    ...response,
    parts: response.parts.map(part =>
      part.type === 'tool_call' && names.has(part.name) ? ({ ...part, kind: 'custom', arguments: unwrap(part.arguments) } satisfies ToolCallPart) : part
    )
  }
}

/**
 * The same for a stream: a custom call's argument fragments are held until the turn finishes
 * (the wrapper JSON is only complete then) and sent as one piece of raw input.
 */
export class CustomCallRestorer {
  private readonly held = new Map<number, string>()

  constructor(private readonly names: ReadonlySet<string>) {}

  /** Events to pass on for `event`. */
  push(event: StreamEvent): StreamEvent[] {
    if (this.names.size === 0) return [event]
    switch (event.type) {
      case 'tool_call_start':
        if (!this.names.has(event.name)) return [event]
        this.held.set(event.index, '')
        return [{ ...event, kind: 'custom' }]
      case 'tool_call_delta': {
        const held = this.held.get(event.index)
        if (held === undefined) return [event]
        this.held.set(event.index, held + event.arguments)
        return []
      }
      case 'finish':
      case 'error':
        return [...this.flush(), event]
      default:
        return [event]
    }
  }

  /** Held inputs not yet sent (a stream that ended without `finish`). */
  flush(): StreamEvent[] {
    const out: StreamEvent[] = [...this.held].map(([index, args]) => ({ type: 'tool_call_delta', index, arguments: unwrap(args) }))
    this.held.clear()
    return out
  }
}
