import type { Protocol } from '../relay/canonical/request'

/** A tool result a request carries, with the call it answers as far as the request tells. */
export interface SeenToolResult {
  /** The call id it names (Gemini may give none). */
  id: string | undefined
  /** The tool name: Gemini's own, else the name of the call with that id in the history. */
  name: string | undefined
  /** The result as text (JSON when it was structured). */
  output: string
}

type Json = Record<string, unknown>

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [])
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null))
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Every tool result in a request body of `protocol`, in order. */
export function toolResultsOf(protocol: Protocol, body: Json): SeenToolResult[] {
  switch (protocol) {
    case 'openai-chat': {
      const messages = list(body.messages)
      const calls = messages.flatMap(m => list(m.tool_calls))
      const nameOf = (id: unknown): string | undefined => {
        const call = calls.find(c => c.id === id)
        return str((call?.function as Json | undefined)?.name) ?? str((call?.custom as Json | undefined)?.name)
      }
      return messages.filter(m => m.role === 'tool').map(m => ({ id: str(m.tool_call_id), name: nameOf(m.tool_call_id), output: text(m.content) }))
    }
    case 'openai-responses': {
      const items = list(body.input)
      const nameOf = (id: unknown): string | undefined => str(items.find(i => (i.type === 'function_call' || i.type === 'custom_tool_call') && i.call_id === id)?.name)
      return items
        .filter(i => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
        .map(i => ({ id: str(i.call_id), name: nameOf(i.call_id), output: text(i.output) }))
    }
    case 'anthropic': {
      const blocks = list(body.messages).flatMap(m => list(m.content))
      const nameOf = (id: unknown): string | undefined => str(blocks.find(b => b.type === 'tool_use' && b.id === id)?.name)
      return blocks.filter(b => b.type === 'tool_result').map(b => ({ id: str(b.tool_use_id), name: nameOf(b.tool_use_id), output: text(b.content) }))
    }
    case 'gemini':
      return list(body.contents)
        .flatMap(c => list(c.parts))
        .map(p => (p.functionResponse ?? p.function_response) as Json | undefined)
        .filter((r): r is Json => r !== undefined)
        .map(r => ({ id: str(r.id), name: str(r.name), output: text(r.response) }))
  }
}

/** The tools a request offers, by name: `custom` for OpenAI free-form tools, else `function`. */
export function offeredToolsOf(protocol: Protocol, body: Json): Map<string, 'function' | 'custom'> {
  const offered = new Map<string, 'function' | 'custom'>()
  const tools = list(body.tools)
  switch (protocol) {
    case 'openai-chat':
      for (const t of tools) {
        const name = str((t.function as Json | undefined)?.name) ?? str((t.custom as Json | undefined)?.name)
        if (name) offered.set(name, t.type === 'custom' ? 'custom' : 'function')
      }
      break
    case 'openai-responses':
      // Codex groups some tools in namespaces; their members are offered too.
      for (const t of [...tools, ...tools.flatMap(t => list(t.tools))]) {
        const name = str(t.name)
        if (name && (t.type === 'function' || t.type === 'custom')) offered.set(name, t.type)
      }
      break
    case 'anthropic':
      for (const t of tools) {
        const name = str(t.name)
        if (name) offered.set(name, 'function')
      }
      break
    case 'gemini':
      for (const t of tools) {
        for (const d of list(t.functionDeclarations ?? t.function_declarations)) {
          const name = str(d.name)
          if (name) offered.set(name, 'function')
        }
      }
  }
  return offered
}
