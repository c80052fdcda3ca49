import {
  emptyRequest,
  type CanonicalRequest,
  type Generation,
  type ReasoningEffort,
  type ReasoningRequest,
  type ResponseFormat,
  type SystemSegment,
  type ToolChoice,
  type ToolDefinition
} from '../../canonical/request'
import type { RouteFacts } from '../protocol-adapter'
import { relayErrors } from '../../relay-errors'
import { parseContents } from './parse-contents'
import { bool, field, isRec, list, num, rec, str, type Rec } from './read'
import { jsonSchemaFromGemini } from './schema-from-gemini'

/**
 * A Gemini `generateContent` body → canonical. Model and streaming come from the URL (`route`);
 * every field is read in either spelling (lowerCamelCase or snake_case, see read.ts).
 * Dropped: hosted tools (googleSearch, codeExecution, urlContext, …), safetySettings,
 * cachedContent, responseModalities, logprobs.
 */
export function parseGeminiRequest(body: Record<string, unknown>, route: RouteFacts): CanonicalRequest {
  const contents = field(body, 'contents')
  if (!Array.isArray(contents)) throw relayErrors.invalidRequest('contents must be an array of Content objects')
  const request = emptyRequest(route.model, route.stream)
  const config = rec(body, 'generationConfig')
  request.system = parseSystem(field(body, 'systemInstruction'))
  request.messages = parseContents(contents)
  request.tools = parseTools(list(body, 'tools'))
  request.toolChoice = parseToolChoice(rec(rec(body, 'toolConfig'), 'functionCallingConfig'))
  request.generation = parseGeneration(config)
  request.responseFormat = parseResponseFormat(config)
  request.reasoning = parseThinking(rec(config, 'thinkingConfig'))
  // Gemini streams always carry usageMetadata, and Cuttle's Gemini encoder always writes it.
  request.streamUsage = true
  return request
}

/** `systemInstruction` (a Content; a bare string is tolerated) → one segment per text part. */
function parseSystem(instruction: unknown): SystemSegment[] {
  const texts = typeof instruction === 'string' ? [instruction] : list(instruction, 'parts').map(part => str(part, 'text'))
  return texts.filter((t): t is string => t !== undefined && t !== '').map(text => ({ text, origin: 'system', cache: false }))
}

function parseTools(tools: unknown[]): ToolDefinition[] {
  const out: ToolDefinition[] = []
  for (const tool of tools) {
    for (const declaration of list(tool, 'functionDeclarations')) {
      const name = str(declaration, 'name')
      if (name === undefined) continue
      const description = str(declaration, 'description')
      out.push({
        name,
        ...(description !== undefined ? { description } : {}),
        parameters: parameters(declaration),
        kind: 'function'
      })
    }
  }
  return out
}

function parameters(declaration: unknown): Rec {
  const json = rec(declaration, 'parametersJsonSchema')
  if (json !== undefined) return json
  const openApi = rec(declaration, 'parameters')
  return openApi !== undefined ? jsonSchemaFromGemini(openApi) : { type: 'object', properties: {} }
}

/** `functionCallingConfig` → tool choice (ANY + one name = that tool; ANY + several = allowed). */
function parseToolChoice(config: Rec | undefined): ToolChoice | null {
  const mode = str(config, 'mode')?.toUpperCase()
  const names = list(config, 'allowedFunctionNames').filter((n): n is string => typeof n === 'string')
  const [only] = names
  switch (mode) {
    case 'NONE':
      return { type: 'none' }
    case 'ANY':
      if (names.length === 1 && only !== undefined) return { type: 'tool', name: only }
      return names.length > 1 ? { type: 'allowed', names, mode: 'required' } : { type: 'required' }
    case 'AUTO':
    case 'VALIDATED':
      return names.length > 0 ? { type: 'allowed', names, mode: 'auto' } : { type: 'auto' }
    default:
      return null
  }
}

function parseGeneration(config: Rec | undefined): Generation {
  const or = (value: number | undefined): number | null => value ?? null
  return {
    maxOutputTokens: or(num(config, 'maxOutputTokens')),
    temperature: or(num(config, 'temperature')),
    topP: or(num(config, 'topP')),
    topK: or(num(config, 'topK')),
    stop: list(config, 'stopSequences').filter((s): s is string => typeof s === 'string'),
    seed: or(num(config, 'seed')),
    presencePenalty: or(num(config, 'presencePenalty')),
    frequencyPenalty: or(num(config, 'frequencyPenalty')),
    n: or(num(config, 'candidateCount'))
  }
}

/** `responseMimeType: application/json` (+ a schema) → JSON mode; other MIME types are text. */
function parseResponseFormat(config: Rec | undefined): ResponseFormat {
  if (str(config, 'responseMimeType')?.toLowerCase() !== 'application/json') return { type: 'text' }
  const jsonSchema = rec(config, 'responseJsonSchema')
  const openApi = rec(config, 'responseSchema')
  const schema = jsonSchema ?? (openApi !== undefined ? jsonSchemaFromGemini(openApi) : undefined)
  // Gemini enforces the schema, but OpenAI's strict mode has rules a Gemini schema need not meet.
  return schema !== undefined ? { type: 'json_schema', name: 'response', schema, strict: false } : { type: 'json_object' }
}

const LEVELS = new Map<string, ReasoningEffort>([
  ['minimal', 'minimal'],
  ['low', 'low'],
  ['medium', 'medium'],
  ['high', 'high']
])

/** `thinkingConfig` → reasoning: budget as given (-1 dynamic, 0 off), level → effort. */
function parseThinking(config: Rec | undefined): ReasoningRequest | null {
  if (!isRec(config)) return null
  const out: ReasoningRequest = {}
  const budget = num(config, 'thinkingBudget')
  if (budget !== undefined) out.budgetTokens = budget
  const include = bool(config, 'includeThoughts')
  if (include !== undefined) out.includeThoughts = include
  const effort = LEVELS.get(str(config, 'thinkingLevel')?.toLowerCase() ?? '')
  if (effort !== undefined) out.effort = effort
  return Object.keys(out).length > 0 ? out : null
}
