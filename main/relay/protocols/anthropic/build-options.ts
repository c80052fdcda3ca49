import type { CanonicalRequest, Generation, ReasoningEffort, ToolDefinition } from '../../canonical/request'
import type { Tool, ToolChoice, WireMessage } from './types'

/** Thinking budget for each effort on models that take `budget_tokens` (§3.2 "Reasoning knob conversion"). */
const EFFORT_BUDGET: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 32768
}
const MIN_BUDGET = 1024
/** `max_tokens` when the client set none (Anthropic requires one). */
export const DEFAULT_MAX_TOKENS = 8192

/** What thinking the request asks for, before checking whether the conversation allows it. */
export type ThinkingPlan = { type: 'enabled'; budget: number } | { type: 'adaptive'; effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max' } | null

/** The client's reasoning request → Anthropic thinking; budget 0 or effort none means no thinking. */
export function wantedThinking(request: CanonicalRequest): ThinkingPlan {
  const reasoning = request.reasoning
  if (reasoning === null || reasoning.effort === 'none') return null
  const effort = reasoning.effort
  if (reasoning.adaptive === true) {
    const level = effort === 'minimal' ? 'low' : effort
    return level !== undefined ? { type: 'adaptive', effort: level } : { type: 'adaptive' }
  }
  const budget = reasoning.budgetTokens
  if (budget === 0) return null
  if (budget !== undefined && budget > 0) return { type: 'enabled', budget: Math.max(MIN_BUDGET, Math.floor(budget)) }
  if (effort !== undefined) return { type: 'enabled', budget: EFFORT_BUDGET[effort] }
  // A dynamic budget (Gemini -1) or a bare "show me the thoughts" gets a medium budget.
  if (budget !== undefined || reasoning.includeThoughts === true) return { type: 'enabled', budget: EFFORT_BUDGET.medium }
  return null
}

/**
 * Whether the conversation lets thinking be switched on. The API refuses thinking with a forced
 * tool (§4 case 20), after a prefilled assistant turn, and when the assistant message of the open
 * tool loop does not start with its own signed thinking (§3.5 item 3, §4 case 9).
 */
export function thinkingAllowed(request: CanonicalRequest, messages: WireMessage[]): boolean {
  const choice = request.toolChoice
  if (choice?.type === 'required' || choice?.type === 'tool' || (choice?.type === 'allowed' && choice.mode === 'required')) return false
  const last = messages.findLastIndex(message => message.role === 'assistant')
  if (last === -1) return true
  const next = messages[last + 1]
  if (next === undefined) return false
  if (!next.content.some(block => block.type === 'tool_result')) return true
  const first = messages[last]?.content[0]
  return first?.type === 'thinking' || first?.type === 'redacted_thinking'
}

/** `max_tokens`, raised past the thinking budget so budget < max_tokens holds (§4 case 21). */
export function maxTokens(generation: Generation, budget: number | null): number {
  const asked = generation.maxOutputTokens
  const requested = asked !== null && asked >= 1 ? Math.floor(asked) : DEFAULT_MAX_TOKENS
  return budget !== null && budget >= requested ? budget + requested : requested
}

/**
 * Sampling Anthropic accepts: temperature at most 1; with thinking no temperature or top_k and
 * top_p only within 0.95–1; never temperature and top_p together (§4 case 19).
 */
export function sampling(generation: Generation, thinking: boolean): { temperature?: number; top_p?: number; top_k?: number } {
  const temperature = thinking || generation.temperature === null ? null : Math.min(1, Math.max(0, generation.temperature))
  const topK = thinking ? null : generation.topK
  let topP = generation.topP
  if (topP !== null && thinking && (topP < 0.95 || topP > 1)) topP = null
  if (topP !== null && temperature !== null) topP = null
  return {
    ...(temperature !== null ? { temperature } : {}),
    ...(topP !== null ? { top_p: topP } : {}),
    ...(topK !== null ? { top_k: Math.floor(topK) } : {})
  }
}

/** Tool definitions and the tool choice; an allowed subset filters the list (§3.2 tool_choice table). */
export function toolsAndChoice(request: CanonicalRequest): { tools?: Tool[]; tool_choice?: ToolChoice } {
  const choice = request.toolChoice
  const allowed = choice?.type === 'allowed' ? new Set(choice.names) : null
  const tools = request.tools.filter(tool => allowed === null || allowed.has(tool.name)).map(toolParam)
  if (tools.length === 0) return {}
  const noParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {}
  let toolChoice: ToolChoice | undefined
  switch (choice?.type) {
    case 'none':
      toolChoice = { type: 'none' }
      break
    case 'required':
      toolChoice = { type: 'any', ...noParallel }
      break
    case 'tool':
      toolChoice = { type: 'tool', name: choice.name, ...noParallel }
      break
    case 'allowed':
      toolChoice = { type: choice.mode === 'required' ? 'any' : 'auto', ...noParallel }
      break
    default:
      toolChoice = request.parallelToolCalls === false || choice?.type === 'auto' ? { type: 'auto', ...noParallel } : undefined
  }
  return { tools, ...(toolChoice ? { tool_choice: toolChoice } : {}) }
}

/** A function tool; Anthropic's `input_schema` must be an object schema (§3.5 item 10). */
function toolParam(tool: ToolDefinition): Tool {
  const schema = tool.parameters
  const inputSchema: Tool['input_schema'] = Object.keys(schema).length === 0 ? { type: 'object', properties: {} } : { ...schema, type: 'object' }
  return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), input_schema: inputSchema }
}
