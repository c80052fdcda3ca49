import {
  emptyRequest,
  type CanonicalRequest,
  type Generation,
  type ReasoningEffort,
  type ReasoningRequest,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition
} from '../../canonical/request'
import type { RouteFacts } from '../protocol-adapter'
import { relayErrors } from '../../relay-errors'
import { isRecord, list, num, str, type Json } from './guards'
import { parseMessages } from './parse-messages'

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']

/** A Chat custom tool `format` in the flat shape the canonical model keeps (Responses'): `{type:"grammar", syntax, definition}`. */
function flatFormat(format: unknown): Record<string, unknown> | undefined {
  if (!isRecord(format)) return undefined
  if (format.type === 'grammar' && isRecord(format.grammar)) return { type: 'grammar', ...format.grammar }
  return format
}

function parseTool(raw: unknown): ToolDefinition | null {
  if (!isRecord(raw)) return null
  if (raw.type === 'custom' && isRecord(raw.custom)) {
    const { name, description } = raw.custom
    if (typeof name !== 'string') return null
    const format = flatFormat(raw.custom.format)
    return { name, ...(typeof description === 'string' ? { description } : {}), parameters: {}, kind: 'custom', ...(format ? { customFormat: format } : {}) }
  }
  // `functions[]` (legacy) entries are the bare function object.
  const fn = isRecord(raw.function) ? raw.function : raw
  const { name, description, parameters, strict } = fn
  if (typeof name !== 'string') return null
  return {
    name,
    ...(typeof description === 'string' ? { description } : {}),
    parameters: isRecord(parameters) ? parameters : { type: 'object', properties: {} },
    kind: 'function',
    ...(typeof strict === 'boolean' ? { strict } : {})
  }
}

/** The name a `tool_choice` / `allowed_tools` entry points at, in any of its shapes. */
function toolRefName(ref: Json): string | undefined {
  if (isRecord(ref.function)) return str(ref.function.name)
  if (isRecord(ref.custom)) return str(ref.custom.name)
  return str(ref.name)
}

function parseToolChoice(raw: unknown): ToolChoice | null {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw }
  if (!isRecord(raw)) return null
  if (raw.type === 'allowed_tools' && isRecord(raw.allowed_tools)) {
    const names = list(raw.allowed_tools.tools).flatMap(ref => {
      const name = isRecord(ref) ? toolRefName(ref) : undefined
      return name !== undefined ? [name] : []
    })
    return { type: 'allowed', names, mode: raw.allowed_tools.mode === 'required' ? 'required' : 'auto' }
  }
  const name = toolRefName(raw)
  return name !== undefined ? { type: 'tool', name } : null
}

function parseResponseFormat(raw: unknown): ResponseFormat {
  if (!isRecord(raw)) return { type: 'text' }
  if (raw.type === 'json_object') return { type: 'json_object' }
  if (raw.type !== 'json_schema' || !isRecord(raw.json_schema)) return { type: 'text' }
  const { name, schema, strict, description } = raw.json_schema
  return {
    type: 'json_schema',
    name: typeof name === 'string' ? name : 'response',
    schema: isRecord(schema) ? schema : {},
    strict: strict === true,
    ...(typeof description === 'string' ? { description } : {})
  }
}

function parseStop(raw: unknown): string[] {
  if (typeof raw === 'string') return raw === '' ? [] : [raw]
  return list(raw).filter((s): s is string => typeof s === 'string' && s !== '')
}

function parseGeneration(body: Json): Generation {
  return {
    maxOutputTokens: num(body.max_completion_tokens) ?? num(body.max_tokens) ?? null,
    temperature: num(body.temperature) ?? null,
    topP: num(body.top_p) ?? null,
    // Not OpenAI, but vLLM-style clients send it.
    topK: num(body.top_k) ?? null,
    stop: parseStop(body.stop),
    seed: num(body.seed) ?? null,
    presencePenalty: num(body.presence_penalty) ?? null,
    frequencyPenalty: num(body.frequency_penalty) ?? null,
    n: num(body.n) ?? null
  }
}

function parseReasoning(raw: unknown): ReasoningRequest | null {
  const effort = EFFORTS.find(e => e === raw)
  // A Chat client can show reasoning (the `reasoning_content` extension), so it gets the thoughts it paid for.
  return effort === undefined ? null : { effort, includeThoughts: effort !== 'none' }
}

/** A Chat Completions request body → canonical (docs/protocols.md §1.1). */
export function parseChatRequest(body: Json, route: RouteFacts): CanonicalRequest {
  if (!Array.isArray(body.messages)) throw relayErrors.invalidRequest('messages must be an array')
  const stream = typeof body.stream === 'boolean' ? body.stream : route.stream
  const request = emptyRequest(str(body.model) ?? route.model, stream)
  const { system, messages } = parseMessages(body.messages)
  const rawTools = Array.isArray(body.tools) ? body.tools : list(body.functions)
  return {
    ...request,
    system,
    messages,
    tools: rawTools.map(parseTool).filter((tool): tool is ToolDefinition => tool !== null),
    toolChoice: parseToolChoice(body.tool_choice ?? body.function_call),
    parallelToolCalls: typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : null,
    generation: parseGeneration(body),
    responseFormat: parseResponseFormat(body.response_format),
    reasoning: parseReasoning(body.reasoning_effort),
    user: str(body.safety_identifier) ?? str(body.user) ?? null,
    promptCacheKey: str(body.prompt_cache_key) ?? null,
    streamUsage: stream && isRecord(body.stream_options) && body.stream_options.include_usage === true
  }
}
