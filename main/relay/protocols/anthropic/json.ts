/** Small guards for reading untrusted JSON without casts scattered over the adapter. */

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>

/** Whether `value` is a non-array object. */
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

/** `value` when it is an array, else an empty one. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** Parses JSON text; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A tool call's arguments as the object Anthropic wants; anything that is not a JSON object becomes `{}`. */
export function argumentsObject(args: string): JsonObject {
  const parsed = parseJson(args)
  return isObject(parsed) ? parsed : {}
}
