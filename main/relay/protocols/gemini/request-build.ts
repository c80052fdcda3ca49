import type { CanonicalRequest, ReasoningEffort, ReasoningRequest, ToolChoice, ToolDefinition } from '../../canonical/request'
import { buildContents } from './build-contents'
import type { Rec } from './read'
import { geminiParameters } from './schema-sanitize'
import type { WireFunctionCallingMode, WireFunctionDeclaration } from './types'

/**
 * Canonical → a Gemini `generateContent` body (camelCase only). The model goes in the URL;
 * here it only fits the thinking budget to the range that model accepts.
 */
export function buildGeminiRequest(request: CanonicalRequest, model: string): Record<string, unknown> {
  const body: Record<string, unknown> = { contents: buildContents(request.messages) }
  const system = request.system.map(s => s.text).filter(t => t !== '')
  if (system.length > 0) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] }
  const tools = toolSection(request.tools, request.toolChoice)
  if (tools !== undefined) {
    body.tools = [{ functionDeclarations: tools.declarations }]
    if (tools.config !== undefined) body.toolConfig = { functionCallingConfig: tools.config }
  }
  const config = generationConfig(request, model)
  if (Object.keys(config).length > 0) body.generationConfig = config
  return body
}

interface ToolSection {
  declarations: WireFunctionDeclaration[]
  config?: { mode: WireFunctionCallingMode; allowedFunctionNames?: string[] }
}

/**
 * Declarations with sanitised schemas plus the calling mode. An "allowed, auto" subset filters
 * the declarations (allowedFunctionNames is only valid with ANY / VALIDATED).
 */
function toolSection(tools: ToolDefinition[], choice: ToolChoice | null): ToolSection | undefined {
  let chosen = tools
  if (choice?.type === 'allowed' && choice.mode === 'auto') {
    const allowed = new Set(choice.names)
    const subset = tools.filter(t => allowed.has(t.name))
    if (subset.length > 0) chosen = subset
  }
  if (chosen.length === 0) return undefined
  const declarations = chosen.map(tool => ({
    name: tool.name,
    ...(tool.description !== undefined && tool.description !== '' ? { description: tool.description } : {}),
    parameters: geminiParameters(tool.parameters)
  }))
  const config = callingConfig(choice)
  return config === undefined ? { declarations } : { declarations, config }
}

function callingConfig(choice: ToolChoice | null): ToolSection['config'] {
  switch (choice?.type) {
    case undefined:
      return undefined
    case 'auto':
      return { mode: 'AUTO' }
    case 'none':
      return { mode: 'NONE' }
    case 'required':
      return { mode: 'ANY' }
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] }
    case 'allowed':
      return choice.mode === 'required' ? { mode: 'ANY', allowedFunctionNames: choice.names } : { mode: 'AUTO' }
  }
}

/** Gemini allows at most five stop sequences. */
const MAX_STOP = 5

function generationConfig(request: CanonicalRequest, model: string): Rec {
  const g = request.generation
  const config: Rec = {}
  const set = (key: string, value: number | null): void => {
    if (value !== null) config[key] = value
  }
  set('maxOutputTokens', g.maxOutputTokens)
  set('temperature', g.temperature === null ? null : Math.min(2, Math.max(0, g.temperature)))
  set('topP', g.topP)
  set('topK', g.topK)
  set('seed', g.seed)
  set('presencePenalty', g.presencePenalty)
  set('frequencyPenalty', g.frequencyPenalty)
  set('candidateCount', g.n)
  const stop = g.stop.filter(s => s !== '').slice(0, MAX_STOP)
  if (stop.length > 0) config.stopSequences = stop
  const format = request.responseFormat
  if (format.type !== 'text') config.responseMimeType = 'application/json'
  if (format.type === 'json_schema') config.responseJsonSchema = format.schema
  const thinking = thinkingConfig(request.reasoning, model)
  if (thinking !== undefined) config.thinkingConfig = thinking
  return config
}

/** Effort → thinkingBudget (docs/protocols.md §3.2). */
const BUDGETS: Record<ReasoningEffort, number> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 32768, max: 32768 }

/**
 * reasoning → thinkingConfig. An explicit budget wins over effort; adaptive alone is Gemini's
 * dynamic budget (-1). Thoughts are included when asked, or by default whenever thinking is on.
 */
function thinkingConfig(reasoning: ReasoningRequest | null, model: string): Rec | undefined {
  if (reasoning === null) return undefined
  const wanted = reasoning.budgetTokens ?? (reasoning.effort !== undefined ? BUDGETS[reasoning.effort] : reasoning.adaptive === true ? -1 : undefined)
  const budget = wanted === undefined ? undefined : fitBudget(wanted, model)
  // Judged on the budget asked for: a Pro model's forced minimum is not a wish to see thoughts.
  const include = reasoning.includeThoughts ?? (wanted !== 0)
  const config: Rec = {}
  if (budget !== undefined) config.thinkingBudget = budget
  if (include && budget !== 0) config.includeThoughts = true
  return Object.keys(config).length > 0 ? config : undefined
}

/**
 * Budgets the model would reject (400) are moved into its range: Pro models cannot turn
 * thinking off (minimum 128, maximum 32768), Flash models stop at 24576; -1 (dynamic) stays.
 */
function fitBudget(budget: number, model: string): number {
  if (budget < 0) return -1
  const name = model.toLowerCase()
  if (name.includes('pro')) return Math.min(32768, Math.max(128, Math.round(budget)))
  if (name.includes('flash')) return Math.min(24576, Math.round(budget))
  return Math.min(32768, Math.round(budget))
}
