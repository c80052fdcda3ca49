import {
  emptyRequest,
  type CanonicalRequest,
  type ReasoningEffort,
  type ReasoningRequest,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition
} from '../../canonical/request'
import { relayErrors } from '../../relay-errors'
import type { RouteFacts } from '../protocol-adapter'
import { parseInput } from './input-parse'
import { isObject, num, objects, str, type JsonObject } from './types'

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']
const SUMMARIES = ['auto', 'concise', 'detailed'] as const

/** A Responses request body → canonical (docs/protocols.md §1.2, §3.2). */
export function parseResponsesRequest(body: JsonObject, route: RouteFacts): CanonicalRequest {
  for (const field of ['previous_response_id', 'conversation']) {
    const stored = body[field]
    if ((typeof stored === 'string' && stored !== '') || isObject(stored)) {
      throw relayErrors.invalidRequest(
        `${field} needs a Responses channel: this model is served by another protocol, which keeps no stored responses. Send the full conversation in \`input\` instead.`
      )
    }
  }
  const { input } = body
  if (input !== undefined && input !== null && typeof input !== 'string' && !Array.isArray(input)) {
    throw relayErrors.invalidRequest('`input` must be a string or an array of input items.')
  }
  const model = route.model !== '' ? route.model : str(body.model)
  if (model === undefined || model === '') throw relayErrors.invalidRequest('`model` is required.')

  const request = emptyRequest(model, route.stream || body.stream === true)
  const conversation = parseInput(input)
  const instructions = str(body.instructions)
  request.system = [...(instructions !== undefined && instructions !== '' ? [{ text: instructions, origin: 'instructions' as const, cache: false }] : []), ...conversation.system]
  request.messages = conversation.messages
  request.tools = objects(body.tools).flatMap(tool => parseTool(tool) ?? [])
  request.toolChoice = parseToolChoice(body.tool_choice)
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls
  request.generation.maxOutputTokens = num(body.max_output_tokens) ?? null
  request.generation.temperature = num(body.temperature) ?? null
  request.generation.topP = num(body.top_p) ?? null
  request.responseFormat = parseFormat(isObject(body.text) ? body.text.format : undefined)
  request.reasoning = parseReasoning(body.reasoning)
  request.user = str(body.safety_identifier) ?? str(body.user) ?? null
  request.promptCacheKey = str(body.prompt_cache_key) ?? null
  // Usage always arrives in a Responses stream's terminal event.
  request.streamUsage = true
  return request
}

/** A function or custom tool; hosted tools (web_search, local_shell, mcp, …) have no portable form. */
function parseTool(tool: JsonObject): ToolDefinition | null {
  const type = str(tool.type)
  // Chat's nested `{type:function, function:{…}}` is tolerated: some clients send it here.
  const fn = type === 'function' && str(tool.name) === undefined && isObject(tool.function) ? tool.function : tool
  const name = str(fn.name)
  if (name === undefined || name === '') return null
  const description = str(fn.description)
  if (type === 'function') {
    const definition: ToolDefinition = {
      name,
      kind: 'function',
      parameters: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} }
    }
    if (description !== undefined) definition.description = description
    if (typeof fn.strict === 'boolean') definition.strict = fn.strict
    return definition
  }
  if (type === 'custom') {
    const definition: ToolDefinition = { name, kind: 'custom', parameters: {} }
    if (description !== undefined) definition.description = description
    if (isObject(tool.format)) definition.customFormat = tool.format
    return definition
  }
  return null
}

function parseToolChoice(choice: unknown): ToolChoice | null {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice }
  if (!isObject(choice)) return null
  const type = str(choice.type)
  const name = str(choice.name) ?? (isObject(choice.function) ? str(choice.function.name) : undefined)
  if ((type === 'function' || type === 'custom') && name !== undefined) return { type: 'tool', name }
  if (type === 'allowed_tools') {
    const names = objects(choice.tools).flatMap(tool => str(tool.name) ?? [])
    return { type: 'allowed', names, mode: choice.mode === 'required' ? 'required' : 'auto' }
  }
  // A hosted-tool choice (`{type:"web_search"}`, mcp, …) names a tool that does not travel.
  return null
}

function parseFormat(format: unknown): ResponseFormat {
  if (!isObject(format)) return { type: 'text' }
  if (format.type === 'json_object') return { type: 'json_object' }
  if (format.type === 'json_schema' && isObject(format.schema)) {
    const result: ResponseFormat = { type: 'json_schema', name: str(format.name) ?? 'response', schema: format.schema, strict: format.strict === true }
    const description = str(format.description)
    return description !== undefined ? { ...result, description } : result
  }
  return { type: 'text' }
}

function parseReasoning(raw: unknown): ReasoningRequest | null {
  if (!isObject(raw)) return null
  const reasoning: ReasoningRequest = {}
  const effort = EFFORTS.find(e => e === raw.effort)
  if (effort !== undefined) reasoning.effort = effort
  const summary = SUMMARIES.find(s => s === (raw.summary ?? raw.generate_summary))
  if (summary !== undefined) {
    reasoning.summary = summary
    reasoning.includeThoughts = true
  }
  return effort === undefined && summary === undefined ? null : reasoning
}
