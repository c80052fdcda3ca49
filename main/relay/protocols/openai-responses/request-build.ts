import { createHash } from 'node:crypto'
import type { CanonicalRequest, ReasoningEffort, ReasoningRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../canonical/request'
import { relayErrors } from '../../relay-errors'
import { buildInput } from './input-build'
import type { FunctionTool, JsonObject } from './types'

/** OpenAI rejects `max_output_tokens` below this (Claude Code probes with max_tokens 1). */
const MIN_OUTPUT_TOKENS = 16
/** OpenAI's limit on `safety_identifier`; longer ids (Claude Code's metadata.user_id) are hashed. */
const MAX_IDENTIFIER = 64
/** OpenAI reasoning models refuse sampling parameters ("Unsupported parameter: 'temperature'"). */
const REASONING_MODEL = /^(o\d|gpt-5(?!.*chat))/i

/** Canonical → a Responses request body for `model` (docs/protocols.md §1.2, §3.2, §3.5). */
export function buildResponsesRequest(request: CanonicalRequest, model: string): JsonObject {
  const { generation } = request
  if (generation.n !== null && generation.n > 1) {
    throw relayErrors.invalidRequest('n > 1 is not supported by this model: its channel speaks the Responses API, which returns one answer.')
  }
  const body: JsonObject = { model, input: buildInput(request.messages), stream: request.stream, store: false }
  const instructions = request.system.map(s => s.text).filter(t => t !== '').join('\n\n')
  if (instructions !== '') body.instructions = instructions
  if (request.tools.length > 0) body.tools = request.tools.map(wireTool)
  const choice = toolChoice(request.toolChoice, request.tools)
  if (choice !== undefined) body.tool_choice = choice
  if (request.parallelToolCalls !== null) body.parallel_tool_calls = request.parallelToolCalls
  if (generation.maxOutputTokens !== null) body.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, generation.maxOutputTokens)
  const reasoning = reasoningOf(request.reasoning)
  const reasons = REASONING_MODEL.test(model) || (reasoning?.effort !== undefined && reasoning.effort !== 'none')
  if (!reasons) {
    if (generation.temperature !== null) body.temperature = generation.temperature
    if (generation.topP !== null) body.top_p = generation.topP
  }
  const format = textFormat(request.responseFormat)
  if (format !== undefined) body.text = { format }
  if (reasoning !== undefined) {
    body.reasoning = reasoning
    // With store:false the reasoning only survives to the next turn as encrypted content.
    if (reasoning.effort !== 'none') body.include = ['reasoning.encrypted_content']
  }
  if (request.user !== null && request.user !== '') body.safety_identifier = identifier(request.user)
  if (request.promptCacheKey !== null) body.prompt_cache_key = request.promptCacheKey
  return body
}

/** A tool in the Responses request's flat shape. */
export function wireTool(tool: ToolDefinition): FunctionTool | JsonObject {
  if (tool.kind === 'custom') {
    return {
      type: 'custom',
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...(tool.customFormat !== undefined ? { format: tool.customFormat } : {})
    }
  }
  const hasSchema = Object.keys(tool.parameters).length > 0
  return {
    type: 'function',
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    parameters: hasSchema ? tool.parameters : { type: 'object', properties: {} },
    // Responses makes tools strict by default, which rejects most schemas written for other APIs.
    strict: tool.strict ?? false
  }
}

/** A tool choice in Responses terms (undefined: say nothing). */
export function toolChoice(choice: ToolChoice | null, tools: ToolDefinition[]): unknown {
  if (choice === null) return undefined
  const kindOf = (name: string): 'function' | 'custom' => (tools.find(t => t.name === name)?.kind === 'custom' ? 'custom' : 'function')
  switch (choice.type) {
    case 'auto':
    case 'none':
    case 'required':
      return choice.type
    case 'tool':
      return { type: kindOf(choice.name), name: choice.name }
    case 'allowed':
      return { type: 'allowed_tools', mode: choice.mode, tools: choice.names.map(name => ({ type: kindOf(name), name })) }
  }
}

function textFormat(format: ResponseFormat): JsonObject | undefined {
  if (format.type === 'json_object') return { type: 'json_object' }
  if (format.type === 'json_schema') {
    return {
      type: 'json_schema',
      name: format.name,
      schema: format.schema,
      strict: format.strict,
      ...(format.description !== undefined ? { description: format.description } : {})
    }
  }
  return undefined
}

/** Effort as given, or from a thinking budget (≤2048 low, ≤12000 medium, else high); summaries when the client shows thinking. */
function reasoningOf(reasoning: ReasoningRequest | null): { effort?: ReasoningEffort; summary?: string } | undefined {
  if (reasoning === null) return undefined
  const out: { effort?: ReasoningEffort; summary?: string } = {}
  const effort = reasoning.effort ?? effortOfBudget(reasoning.budgetTokens)
  if (effort !== undefined) out.effort = effort
  const summary = reasoning.summary ?? (reasoning.includeThoughts === true ? 'auto' : undefined)
  if (summary !== undefined) out.summary = summary
  return out.effort === undefined && out.summary === undefined ? undefined : out
}

function effortOfBudget(budget: number | undefined): ReasoningEffort | undefined {
  // -1 is "dynamic": the model's default effort is the closest match.
  if (budget === undefined || budget < 0) return undefined
  if (budget <= 2048) return 'low'
  return budget <= 12000 ? 'medium' : 'high'
}

function identifier(user: string): string {
  return user.length <= MAX_IDENTIFIER ? user : createHash('sha256').update(user).digest('hex')
}
