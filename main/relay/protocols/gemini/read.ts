/**
 * Gemini's REST API accepts every proto field in lowerCamelCase and in snake_case (official curl
 * samples use `system_instruction`, `inline_data`, …; the SDKs send camelCase). Every read of a
 * client body goes through `field`, so both spellings work everywhere without two code paths.
 * Only proto field names are looked up this way; free-form values (function `args`, a
 * `response`, JSON Schema property names) are never renamed.
 */

/** A JSON object read from an untrusted body. */
export type Rec = Record<string, unknown>

/** Whether `value` is a plain JSON object. */
export function isRec(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)
}

/** `obj[key]` under its camelCase name or its snake_case twin (own properties only). */
export function field(obj: unknown, key: string): unknown {
  if (!isRec(obj)) return undefined
  if (Object.hasOwn(obj, key)) return obj[key]
  const alt = snake(key)
  return alt !== key && Object.hasOwn(obj, alt) ? obj[alt] : undefined
}

/** A string field, or undefined. */
export function str(obj: unknown, key: string): string | undefined {
  const value = field(obj, key)
  return typeof value === 'string' ? value : undefined
}

/** A finite number field, or undefined. */
export function num(obj: unknown, key: string): number | undefined {
  const value = field(obj, key)
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** A boolean field, or undefined. */
export function bool(obj: unknown, key: string): boolean | undefined {
  const value = field(obj, key)
  return typeof value === 'boolean' ? value : undefined
}

/** An object field, or undefined. */
export function rec(obj: unknown, key: string): Rec | undefined {
  const value = field(obj, key)
  return isRec(value) ? value : undefined
}

/** An array field, or an empty array. */
export function list(obj: unknown, key: string): unknown[] {
  const value = field(obj, key)
  return Array.isArray(value) ? value : []
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
