import type { Message, Part, ToolCallPart, ToolResultPart } from './request'

/** The result given to a call the history never answered (the API would reject the request). */
export const MISSING_RESULT = 'No result was recorded for this tool call.'

/**
 * The conversation with every tool call answered exactly once, right after its assistant
 * message, and every result answering a call of the assistant message before it (docs/protocols.md
 * §7 invariant 4). The messages between two assistant messages are one answer window: its
 * results for the calls move to its start, in call order; a call left unanswered (an interrupted
 * turn, a history another client trimmed, a history ending on calls) gets an error result saying
 * so; a result no call asked for becomes user text, so its content is not lost. OpenAI's APIs
 * reject a request with either problem.
 */
export function pairToolResults(messages: Message[]): Message[] {
  const out: Message[] = []
  let calls: ToolCallPart[] = []
  let window: Message[] = []
  const flush = (): void => {
    out.push(...answered(window, calls))
    window = []
  }
  for (const message of messages) {
    if (message.role !== 'assistant') {
      window.push(message)
      continue
    }
    flush()
    out.push(message)
    calls = message.parts.filter((p): p is ToolCallPart => p.type === 'tool_call')
  }
  flush()
  return out
}

/** One answer window with the results for exactly `calls` first; other results turned into text. */
function answered(window: Message[], calls: ToolCallPart[]): Message[] {
  const found = new Map<string, ToolResultPart>()
  const rest = window.flatMap((message): Message[] => {
    const parts = message.parts.flatMap((part): Part[] => {
      if (part.type !== 'tool_result') return [part]
      if (calls.some(call => call.id === part.callId) && !found.has(part.callId)) {
        found.set(part.callId, part)
        return []
      }
      return orphanText(part)
    })
    // A message that held only results moved to the front is gone; one that was empty stays as it was.
    return parts.length > 0 || message.parts.length === 0 ? [{ ...message, parts }] : []
  })
  if (calls.length === 0) return rest
  const results = calls.map(call => found.get(call.id) ?? missing(call))
  const [first, ...others] = rest
  // The results open the window: in its first user message, or in one of their own before a system turn.
  if (first?.role === 'user') return [{ ...first, parts: [...results, ...first.parts] }, ...others]
  return [{ role: 'user', parts: results }, ...rest]
}

function missing(call: ToolCallPart): ToolResultPart {
  return {
    type: 'tool_result',
    callId: call.id,
    name: call.name,
    content: [{ type: 'text', text: MISSING_RESULT }],
    isError: true,
    ...(call.kind === 'custom' ? { custom: true } : {})
  }
}

function orphanText(result: ToolResultPart): Part[] {
  const text = result.content.flatMap(item => (item.type === 'text' ? [item.text] : [])).join('\n')
  return text.trim() === '' ? [] : [{ type: 'text', text: `[tool result ${result.callId}] ${text}` }]
}
