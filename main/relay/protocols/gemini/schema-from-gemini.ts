import { field, isRec, list, rec, str, type Rec } from './read'

/**
 * A Gemini `parameters` / `responseSchema` (OpenAPI subset, enum types in upper case, fields in
 * either spelling) as the JSON Schema the canonical request carries. `parametersJsonSchema` and
 * `responseJsonSchema` are JSON Schema already and are taken as they are.
 */
export function jsonSchemaFromGemini(schema: unknown): Rec {
  return convert(schema, 0)
}

/** Deeper than any real schema; stops a hostile body from recursing without end. */
const MAX_DEPTH = 64

const NUMERIC = ['maxItems', 'minItems', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'minimum', 'maximum'] as const
const COPIED = ['format', 'title', 'description', 'pattern', 'default'] as const

function convert(schema: unknown, depth: number): Rec {
  if (!isRec(schema) || depth > MAX_DEPTH) return {}
  const out: Rec = {}
  const type = str(schema, 'type')?.toLowerCase()
  if (type !== undefined && type !== 'type_unspecified') out.type = type
  for (const key of COPIED) {
    const value = field(schema, key)
    if (value !== undefined) out[key] = value
  }
  for (const key of NUMERIC) {
    const value = numeric(field(schema, key))
    if (value !== undefined) out[key] = value
  }
  const values = field(schema, 'enum')
  if (Array.isArray(values)) out.enum = values
  const required = field(schema, 'required')
  if (Array.isArray(required)) out.required = required.filter(name => typeof name === 'string')
  const properties = rec(schema, 'properties')
  if (properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, convert(sub, depth + 1)]))
  }
  const items = field(schema, 'items')
  if (isRec(items)) out.items = convert(items, depth + 1)
  const anyOf = list(schema, 'anyOf')
  if (anyOf.length > 0) out.anyOf = anyOf.map(sub => convert(sub, depth + 1))
  if (field(schema, 'nullable') === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null']
    else if (Array.isArray(out.anyOf)) out.anyOf.push({ type: 'null' })
  }
  return out
}

/** Proto int64 fields may arrive as JSON strings ("5"). */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}
