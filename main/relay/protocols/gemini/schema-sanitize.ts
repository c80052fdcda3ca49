import { isRec, type Rec } from './read'

/**
 * JSON Schema → the OpenAPI subset Gemini's `parameters` accepts (docs/protocols.md §3.5 item 10,
 * §4 case 14). Gemini answers 400 "Unknown name" for any keyword outside its Schema proto, so
 * this builds each node from an allow-list instead of deleting known offenders: `$schema`,
 * `additionalProperties`, `propertyNames`, `title`, `default`, `examples`, `if/then/else`, … can
 * never get through. Local `$ref`s are inlined, `const` becomes a one-value enum, exclusive
 * bounds become inclusive ones, type arrays become one type + `nullable`, `oneOf` becomes `anyOf`.
 */
export function geminiParameters(schema: Record<string, unknown>): Rec {
  const out = sanitize(schema, { root: schema, budget: MAX_NODES }, [], 0)
  // A function's parameters must be an OBJECT schema, even for a tool without arguments.
  if (out.type !== 'object') {
    delete out.anyOf
    delete out.nullable
    out.type = 'object'
  }
  if (!isRec(out.properties)) out.properties = {}
  return out
}

/** Inlining refs can blow a schema up; past these limits the rest becomes a plain string. */
const MAX_DEPTH = 24
const MAX_NODES = 5000

/** The string formats Gemini accepts; any other `format` is rejected. */
const FORMATS = new Set(['enum', 'date-time'])
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'] as const

interface Walk {
  root: Rec
  budget: number
}

function sanitize(node: unknown, walk: Walk, refs: readonly string[], depth: number): Rec {
  if (!isRec(node)) return {}
  walk.budget -= 1
  if (walk.budget < 0 || depth > MAX_DEPTH) return { type: 'string' }
  if (typeof node.$ref === 'string') return inlineRef(node, node.$ref, walk, refs, depth)

  if (Array.isArray(node.type)) return fromTypeList(node, node.type, walk, refs, depth)
  const out: Rec = {}
  let nullable = node.nullable === true
  if (typeof node.type === 'string') {
    if (node.type === 'null') nullable = true
    out.type = node.type === 'null' ? 'string' : node.type.toLowerCase()
  }
  if (typeof node.description === 'string') out.description = node.description
  if (typeof node.format === 'string' && FORMATS.has(node.format)) out.format = node.format
  if (typeof node.pattern === 'string') out.pattern = node.pattern
  for (const key of COUNTS) if (typeof node[key] === 'number') out[key] = node[key]
  bounds(node, out)
  values(node, out)

  const branches = [...asList(node.anyOf), ...asList(node.oneOf)]
  if (branches.length > 0) nullable = alternatives(branches, out, walk, refs, depth) || nullable
  for (const part of asList(node.allOf)) merge(out, sanitize(part, walk, refs, depth + 1))

  if (isRec(node.properties)) {
    const properties = isRec(out.properties) ? out.properties : {}
    for (const [name, sub] of Object.entries(node.properties)) properties[name] = sanitize(sub, walk, refs, depth + 1)
    out.properties = properties
    out.type ??= 'object'
  }
  const items = Array.isArray(node.items) ? node.items[0] : (node.items ?? (Array.isArray(node.prefixItems) ? node.prefixItems[0] : undefined))
  if (isRec(items)) out.items = sanitize(items, walk, refs, depth + 1)
  required(node, out)
  if (nullable) out.nullable = true
  return out
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** `$ref` to `#/$defs/…`, `#/definitions/…` or any local pointer; siblings (description) stay. */
function inlineRef(node: Rec, ref: string, walk: Walk, refs: readonly string[], depth: number): Rec {
  const target = refs.includes(ref) ? undefined : resolve(walk.root, ref)
  const out = target === undefined ? { type: 'string' } : sanitize(target, walk, [...refs, ref], depth + 1)
  if (typeof node.description === 'string') out.description = node.description
  return out
}

function resolve(root: Rec, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined
  let at: unknown = root
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (!isRec(at) || !Object.hasOwn(at, key)) return undefined
    at = at[key]
  }
  return at
}

/** `type: ["string", "null"]` → one type + nullable; several real types → anyOf. */
function fromTypeList(node: Rec, types: unknown[], walk: Walk, refs: readonly string[], depth: number): Rec {
  const real = types.filter((t): t is string => typeof t === 'string' && t !== 'null')
  const nullable = real.length < types.length || node.nullable === true
  const [only] = real
  if (real.length <= 1) return sanitize({ ...node, type: only ?? 'null', nullable }, walk, refs, depth)
  const out: Rec = { anyOf: real.map(type => sanitize({ ...node, type, nullable: false, description: undefined }, walk, refs, depth + 1)) }
  if (typeof node.description === 'string') out.description = node.description
  if (nullable) out.nullable = true
  return out
}

/** anyOf / oneOf: null branches become `nullable`; a single remaining branch is inlined. Returns nullable. */
function alternatives(branches: unknown[], out: Rec, walk: Walk, refs: readonly string[], depth: number): boolean {
  const isNull = (b: unknown): boolean => isRec(b) && b.type === 'null' && Object.keys(b).length === 1
  const kept = branches.filter(b => !isNull(b)).map(b => sanitize(b, walk, refs, depth + 1))
  const [only] = kept
  if (kept.length === 1 && only !== undefined) merge(out, only)
  else if (kept.length > 1) out.anyOf = kept
  return kept.length < branches.length
}

/** Folds `from` into `into` (allOf, single anyOf branch): properties and required are united. */
function merge(into: Rec, from: Rec): void {
  for (const [key, value] of Object.entries(from)) {
    if (key === 'properties' && isRec(value) && isRec(into.properties)) into.properties = { ...into.properties, ...value }
    else if (key === 'required' && Array.isArray(value) && Array.isArray(into.required)) into.required = [...new Set([...into.required, ...value])]
    else if (key === 'description' && typeof into.description === 'string') continue
    else into[key] ??= value
  }
}

/** exclusiveMinimum/Maximum (draft 6+: a number) → inclusive bounds; draft 4 booleans are dropped. */
function bounds(node: Rec, out: Rec): void {
  if (typeof node.minimum === 'number') out.minimum = node.minimum
  else if (typeof node.exclusiveMinimum === 'number') out.minimum = node.exclusiveMinimum
  if (typeof node.maximum === 'number') out.maximum = node.maximum
  else if (typeof node.exclusiveMaximum === 'number') out.maximum = node.exclusiveMaximum
}

/**
 * `enum` / `const`. Gemini enums hold strings only: string values are kept; other values would
 * be rejected, so they move into the description, where the model still sees them.
 */
function values(node: Rec, out: Rec): void {
  const list = Array.isArray(node.enum) ? node.enum : node.const !== undefined ? [node.const] : undefined
  if (list === undefined || list.length === 0) return
  if (list.every(v => typeof v === 'string') && (out.type === undefined || out.type === 'string')) {
    out.type = 'string'
    out.enum = list
    return
  }
  const hint = `Allowed values: ${list.map(v => JSON.stringify(v)).join(', ')}.`
  out.description = typeof out.description === 'string' ? `${out.description} ${hint}` : hint
}

/** `required` may only name declared properties (Gemini: "property is not defined"). */
function required(node: Rec, out: Rec): void {
  const names = [...asList(node.required), ...(Array.isArray(out.required) ? out.required : [])]
  delete out.required
  if (!isRec(out.properties) || names.length === 0) return
  const declared = out.properties
  const kept = [...new Set(names.filter((n): n is string => typeof n === 'string' && Object.hasOwn(declared, n)))]
  if (kept.length > 0) out.required = kept
}
