import {
  emptyRequest,
  type CanonicalRequest,
  type ReasoningEffort,
  type ReasoningRequest,
  type ResponseFormat,
  type SystemSegment,
  type ToolChoice,
  type ToolDefinition
} from '../../canonical/request'
import type { RouteFacts } from '../protocol-adapter'
import { relayErrors } from '../../relay-errors'
import { arr, isObject, num, str, type JsonObject } from './json'
import { isAttribution, parseMessage } from './parse-content'

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']

/** An Anthropic Messages request body → canonical (docs/protocols.md §1.3, §3.2). */
export function parseAnthropicRequest(body: Record<string, unknown>, route: RouteFacts): CanonicalRequest {
  const maxTokens = num(body.max_tokens)
  if (maxTokens === undefined) throw relayErrors.invalidRequest('max_tokens: required (a number)')
  if (!Array.isArray(body.messages)) throw relayErrors.invalidRequest('messages: required (an array)')

  // Absent `stream` means a JSON answer: Claude Code's fallback retry omits it (§4 case 31).
  const request = emptyRequest(str(body.model) ?? route.model, body.stream === true)
  const choice = parseToolChoice(body.tool_choice)
  const metadata = isObject(body.metadata) ? body.metadata : {}
  const outputConfig = isObject(body.output_config) ? body.output_config : {}
  return {
    ...request,
    system: parseSystem(body.system),
    messages: body.messages.map((message, i) => parseMessage(message, `messages[${i}]`)),
    tools: parseTools(body.tools),
    toolChoice: choice.toolChoice,
    parallelToolCalls: choice.parallelToolCalls,
    generation: {
      ...request.generation,
      maxOutputTokens: maxTokens,
      temperature: num(body.temperature) ?? null,
      topP: num(body.top_p) ?? null,
      topK: num(body.top_k) ?? null,
      stop: arr(body.stop_sequences).filter((s): s is string => typeof s === 'string')
    },
    responseFormat: parseFormat(outputConfig.format ?? body.output_format),
    reasoning: parseReasoning(body.thinking, outputConfig.effort),
    user: str(metadata.user_id) ?? null,
    // Anthropic streams always carry usage.
    streamUsage: true
  }
}

/** `system`: a string or text blocks; Claude Code's attribution block is left out. */
function parseSystem(system: unknown): SystemSegment[] {
  if (system === undefined || system === null) return []
  if (typeof system === 'string') return system === '' ? [] : [{ text: system, origin: 'system', cache: false }]
  if (!Array.isArray(system)) throw relayErrors.invalidRequest('system: must be a string or an array of text blocks')
  return system.flatMap((block): SystemSegment[] => {
    if (!isObject(block) || block.type !== 'text') return []
    const text = str(block.text)
    if (text === undefined || text === '' || isAttribution(text)) return []
    return [{ text, origin: 'system', cache: isObject(block.cache_control) }]
  })
}

/** Custom tools; server and versioned tools (web search, bash, text editor…) have no schema and no equivalent elsewhere. */
function parseTools(tools: unknown): ToolDefinition[] {
  return arr(tools).flatMap((tool): ToolDefinition[] => {
    if (!isObject(tool) || !isObject(tool.input_schema)) return []
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') return []
    const name = str(tool.name)
    if (name === undefined) return []
    const description = str(tool.description)
    return [
      {
        name,
        ...(description !== undefined ? { description } : {}),
        parameters: tool.input_schema,
        kind: 'function',
        ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {})
      }
    ]
  })
}

function parseToolChoice(raw: unknown): { toolChoice: ToolChoice | null; parallelToolCalls: boolean | null } {
  if (!isObject(raw)) return { toolChoice: null, parallelToolCalls: null }
  const parallelToolCalls = raw.disable_parallel_tool_use === true ? false : null
  const name = str(raw.name)
  switch (raw.type) {
    case 'auto':
      return { toolChoice: { type: 'auto' }, parallelToolCalls }
    case 'any':
      return { toolChoice: { type: 'required' }, parallelToolCalls }
    case 'none':
      return { toolChoice: { type: 'none' }, parallelToolCalls }
    case 'tool':
      return { toolChoice: name !== undefined ? { type: 'tool', name } : null, parallelToolCalls }
    default:
      return { toolChoice: null, parallelToolCalls }
  }
}

/** `output_config.format` (or the older top-level `output_format`); Anthropic's schema has no name, so it is "output". */
function parseFormat(format: unknown): ResponseFormat {
  if (!isObject(format) || format.type !== 'json_schema' || !isObject(format.schema)) return { type: 'text' }
  // Not strict: OpenAI's strict mode rejects schemas Anthropic accepts (optional properties).
  return { type: 'json_schema', name: 'output', schema: format.schema, strict: false }
}

/** `thinking` and `output_config.effort` → what the client asked of reasoning. */
function parseReasoning(thinking: unknown, effortRaw: unknown): ReasoningRequest | null {
  const effort = EFFORTS.find(e => e === effortRaw)
  const withEffort = (reasoning: ReasoningRequest): ReasoningRequest => (effort !== undefined ? { ...reasoning, effort } : reasoning)
  const config: JsonObject = isObject(thinking) ? thinking : {}
  switch (config.type) {
    case 'enabled': {
      const budget = num(config.budget_tokens)
      return withEffort({ ...(budget !== undefined ? { budgetTokens: budget } : {}), includeThoughts: true })
    }
    case 'adaptive':
      return withEffort({ adaptive: true, includeThoughts: true })
    case 'disabled':
      // Thinking switched off wins over an effort level: the client asked for no reasoning.
      return { effort: 'none', includeThoughts: false }
    default:
      return effort !== undefined ? { effort } : null
  }
}
