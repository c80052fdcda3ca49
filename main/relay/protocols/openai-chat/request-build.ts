import { createHash } from 'node:crypto'
import type { CanonicalRequest, ReasoningEffort, ReasoningRequest, ResponseFormat, ToolDefinition } from '../../canonical/request'
import { buildMessages } from './build-messages'
import type { ChatCompletionCustomTool, ChatCompletionTool, ChatCompletionToolChoiceOption, ChatRequestBody } from './types'

/** OpenAI's own models: they take `allowed_tools`, `prompt_cache_key`, every effort value. */
const OPENAI_MODEL = /^(gpt-|o\d|chatgpt-|codex-)/i
/** OpenAI reasoning models: they reject `max_tokens` and non-default sampling. */
const OPENAI_REASONING_MODEL = /^(o\d|gpt-5)/i
/**
 * Servers whose thinking mode needs the assistant's earlier `reasoning_content` sent back (DeepSeek
 * answers 400 "reasoning_content … must be passed back" in tool loops; Kimi K2 thinking likewise).
 * Others get no extension field: some (Groq) reject unknown message properties.
 */
const REASONING_ECHO_MODEL = /deepseek|kimi-k2/i
/** OpenAI caps `stop` at four sequences. */
const MAX_STOP = 4
/** OpenAI rejects longer `user` values; Claude Code's `metadata.user_id` is longer. */
const MAX_USER = 64

/** Effort for an upstream that only speaks effort (docs/protocols.md §3.2: budget ≤2048 low, ≤12k medium, else high). */
function effortOf(reasoning: ReasoningRequest): ReasoningEffort | undefined {
  if (reasoning.effort !== undefined) return reasoning.effort
  const budget = reasoning.budgetTokens
  if (budget !== undefined) {
    if (budget === 0) return 'none'
    if (budget < 0) return 'medium'
    return budget <= 2048 ? 'low' : budget <= 12000 ? 'medium' : 'high'
  }
  return reasoning.adaptive === true ? 'medium' : undefined
}

/** `reasoning_effort` for `model`: compatible servers know low/medium/high only and have no "none". */
function reasoningEffort(reasoning: ReasoningRequest | null, openAi: boolean): ReasoningEffort | undefined {
  const effort = reasoning !== null ? effortOf(reasoning) : undefined
  if (effort === undefined || openAi) return effort
  if (effort === 'none') return undefined
  if (effort === 'minimal') return 'low'
  return effort === 'xhigh' || effort === 'max' ? 'high' : effort
}

/** The Chat `format` nesting of a canonical (flat, Responses-shaped) custom tool format. */
function chatFormat(format: Record<string, unknown> | undefined): ChatCompletionCustomTool.Custom['format'] {
  if (format?.type === 'text') return { type: 'text' }
  if (format?.type !== 'grammar') return undefined
  const { definition, syntax } = format
  if (typeof definition !== 'string') return undefined
  return { type: 'grammar', grammar: { definition, syntax: syntax === 'regex' ? 'regex' : 'lark' } }
}

function chatTool(tool: ToolDefinition): ChatCompletionTool {
  const description = tool.description !== undefined ? { description: tool.description } : {}
  if (tool.kind === 'custom') {
    const format = chatFormat(tool.customFormat)
    return { type: 'custom', custom: { name: tool.name, ...description, ...(format !== undefined ? { format } : {}) } }
  }
  return {
    type: 'function',
    function: { name: tool.name, ...description, parameters: tool.parameters, ...(tool.strict !== undefined ? { strict: tool.strict } : {}) }
  }
}

const isCustom = (name: string, tools: ToolDefinition[]): boolean => tools.some(t => t.name === name && t.kind === 'custom')

function toolRef(name: string, tools: ToolDefinition[]): { [key: string]: unknown } {
  return isCustom(name, tools) ? { type: 'custom', custom: { name } } : { type: 'function', function: { name } }
}

/** `tools`, `tool_choice`, `parallel_tool_calls`; none of them without tools (OpenAI rejects the last two alone). */
function toolFields(request: CanonicalRequest, openAi: boolean): Partial<ChatRequestBody> {
  let tools = request.tools
  const choice = request.toolChoice
  let toolChoice: ChatCompletionToolChoiceOption | undefined
  if (choice?.type === 'tool') {
    toolChoice = isCustom(choice.name, tools) ? { type: 'custom', custom: { name: choice.name } } : { type: 'function', function: { name: choice.name } }
  } else if (choice?.type === 'allowed') {
    if (openAi) toolChoice = { type: 'allowed_tools', allowed_tools: { mode: choice.mode, tools: choice.names.map(n => toolRef(n, tools)) } }
    else {
      // Compatible servers do not know `allowed_tools`: offer only the allowed tools instead.
      const allowed = tools.filter(t => choice.names.includes(t.name))
      if (allowed.length > 0) tools = allowed
      toolChoice = choice.mode
    }
  } else if (choice !== null) toolChoice = choice.type
  if (tools.length === 0) return {}
  return {
    tools: tools.map(chatTool),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(request.parallelToolCalls !== null ? { parallel_tool_calls: request.parallelToolCalls } : {})
  }
}

function responseFormat(format: ResponseFormat): Partial<ChatRequestBody> {
  if (format.type === 'json_object') return { response_format: { type: 'json_object' } }
  if (format.type === 'text') return {}
  const { schema, strict, description } = format
  // OpenAI wants the name as `[a-zA-Z0-9_-]{1,64}`; other protocols' names (or none) may not be.
  const name = format.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response'
  return { response_format: { type: 'json_schema', json_schema: { name, schema, strict, ...(description !== undefined ? { description } : {}) } } }
}

/** Sampling and length fields; OpenAI reasoning models take only `max_completion_tokens` and default sampling. */
function generationFields(request: CanonicalRequest, model: string): Partial<ChatRequestBody> {
  const g = request.generation
  const reasoningModel = OPENAI_REASONING_MODEL.test(model)
  const body: Partial<ChatRequestBody> = {}
  if (g.maxOutputTokens !== null) body[reasoningModel ? 'max_completion_tokens' : 'max_tokens'] = g.maxOutputTokens
  if (g.temperature !== null && !reasoningModel) body.temperature = g.temperature
  if (g.topP !== null && !reasoningModel) body.top_p = g.topP
  if (g.n !== null) body.n = g.n
  if (g.stop.length > 0) body.stop = g.stop.slice(0, MAX_STOP)
  if (g.seed !== null) body.seed = g.seed
  if (g.presencePenalty !== null) body.presence_penalty = g.presencePenalty
  if (g.frequencyPenalty !== null) body.frequency_penalty = g.frequencyPenalty
  return body
}

function userField(user: string | null): Partial<ChatRequestBody> {
  if (user === null || user === '') return {}
  // A stable stand-in keeps per-user abuse tracking working without a 400 for length.
  return { user: user.length <= MAX_USER ? user : createHash('sha256').update(user).digest('hex').slice(0, 32) }
}

/** Canonical → a Chat Completions body for `model`, acceptable to OpenAI and to compatible servers. */
export function buildChatRequest(request: CanonicalRequest, model: string): Record<string, unknown> {
  const openAi = OPENAI_MODEL.test(model)
  const effort = reasoningEffort(request.reasoning, openAi)
  const body: ChatRequestBody = {
    model,
    messages: buildMessages(request, REASONING_ECHO_MODEL.test(model)),
    ...(request.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...generationFields(request, model),
    ...responseFormat(request.responseFormat),
    ...toolFields(request, openAi),
    ...(effort !== undefined ? { reasoning_effort: effort } : {}),
    ...userField(request.user),
    ...(openAi && request.promptCacheKey !== null ? { prompt_cache_key: request.promptCacheKey } : {})
  }
  return { ...body }
}
