import type {
  FunctionTool,
  ResponseCustomToolCall,
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseUsage
} from 'openai/resources/responses/responses'

/** The SDK's usage object, which Cuttle writes complete (Codex rejects partial details). */
export type { ResponseUsage }

/** An assistant message output item. */
export type OutputMessage = ResponseOutputMessage
/** A function call output item; Cuttle always gives it an id (`fc_…`). */
export type OutputFunctionCall = ResponseFunctionToolCall & { id: string }
/** A free-form tool call output item; Cuttle always gives it an id (`ctc_…`). */
export type OutputCustomCall = ResponseCustomToolCall & { id: string }
/** A reasoning output item. */
export type OutputReasoning = ResponseReasoningItem
/** The output items a conversion can produce (hosted-tool items only come from OpenAI itself). */
export type OutputItem = OutputMessage | OutputFunctionCall | OutputCustomCall | OutputReasoning

/** A function tool as Cuttle sends it to a Responses upstream. */
export type { FunctionTool }

/** A JSON object of unknown shape. */
export type JsonObject = Record<string, unknown>

/** Whether `value` is a (non-array) JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `value` when it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** `value` when it is a finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** The elements of `value` that are objects (an absent or malformed list is empty). */
export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : []
}

/** Parses JSON text without throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
