/** A `${NAME}` reference whose variable is not set, and where it was found. */
export interface MissingVariable {
  name: string
  path: PropertyKey[]
}

/** Result of replacing variables: the new document and every reference that could not be filled. */
export interface Substituted {
  value: unknown
  missing: MissingVariable[]
}

// `$${NAME}` stays a literal `${NAME}`, so a value that really contains `${` can still be written.
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Replaces `${NAME}` in every string value of a parsed document with `env[NAME]`, so secrets can
 * come from the environment (Docker) instead of the file. Mapping keys are left alone.
 */
export function substituteEnv(document: unknown, env: Readonly<Record<string, string | undefined>>): Substituted {
  const missing: MissingVariable[] = []
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (match: string, escaped: string, name: string) => {
        if (escaped !== '') return match.slice(1)
        // Own properties only: a plain-object env must not answer `${constructor}` from its prototype.
        const replacement = Object.hasOwn(env, name) ? env[name] : undefined
        if (typeof replacement === 'string') return replacement
        missing.push({ name, path })
        return match
      })
    }
    if (Array.isArray(value)) return value.map((item: unknown, index) => walk(item, [...path, index]))
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]))
    }
    return value
  }
  const value = walk(document, [])
  return { value, missing }
}
