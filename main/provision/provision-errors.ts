import { z } from 'zod'

/** Sections whose entries are lists of named items. */
export type EntrySection = 'channels' | 'groups' | 'apiKeys'

type PathKey = PropertyKey

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `members[0].channel`, `headers["X Bad"]`: a field path as an operator reads it. */
export function formatPath(path: readonly PathKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

/** `cuttle.yaml: channels[1] "foo"`: the start of every line about one entry. */
export function entryLabel(source: string, section: EntrySection, index: number, name: unknown): string {
  const shown = typeof name === 'string' ? ` ${JSON.stringify(name)}` : ''
  return `${source}: ${section}[${index}]${shown}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * One error line for a problem at `path` of the raw document: names the file, the entry (index and,
 * when the raw entry has one, its name) and the field. `raw` is only read for entry names.
 */
export function lineAt(source: string, raw: unknown, path: readonly PathKey[], message: string): string {
  const [section, index, ...rest] = path
  if ((section === 'channels' || section === 'groups' || section === 'apiKeys') && typeof index === 'number') {
    const list = isRecord(raw) ? raw[section] : undefined
    const entry = Array.isArray(list) ? (list[index] as unknown) : undefined
    const field = formatPath(rest)
    const label = entryLabel(source, section, index, isRecord(entry) ? entry.name : undefined)
    return `${label}: ${field === '' ? '' : `${field} `}${message}`
  }
  const field = formatPath(path)
  return `${source}: ${field === '' ? '' : `${field} `}${message}`
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  null: 'null'
}

function sizeUnit(origin: string, n: number | bigint): string {
  if (origin === 'string') return n === 1 ? ' character' : ' characters'
  if (origin === 'array' || origin === 'set') return n === 1 ? ' item' : ' items'
  return ''
}

/**
 * Zod error map for provisioning files: says what is allowed without ever echoing the input (it may
 * be a key). Schema-level messages (`must be an http:// or https:// URL`) take precedence over it.
 */
export const describeIssue: z.core.$ZodErrorMap = iss => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'is required' : `must be ${TYPE_NAMES[iss.expected] ?? iss.expected}`
    case 'invalid_value':
      return iss.values.length === 1
        ? `must be ${String(iss.values[0])}`
        : `must be one of ${iss.values.map(String).join(', ')}`
    case 'unrecognized_keys': {
      const names = iss.keys.map(key => JSON.stringify(key)).join(', ')
      const allowed = iss.inst instanceof z.ZodObject ? ` (allowed: ${Object.keys(iss.inst.shape).join(', ')})` : ''
      return `has unknown field${iss.keys.length === 1 ? '' : 's'} ${names}${allowed}`
    }
    case 'too_small': {
      if (iss.origin === 'string' && Number(iss.minimum) === 1) return 'must not be empty'
      const bound = iss.origin === 'number' && !iss.inclusive ? 'greater than' : 'at least'
      const verb = iss.origin === 'array' ? 'must have' : 'must be'
      return `${verb} ${bound} ${iss.minimum}${sizeUnit(iss.origin, iss.minimum)}`
    }
    case 'too_big': {
      const bound = iss.origin === 'number' && !iss.inclusive ? 'less than' : 'at most'
      const verb = iss.origin === 'array' ? 'must have' : 'must be'
      return `${verb} ${bound} ${iss.maximum}${sizeUnit(iss.origin, iss.maximum)}`
    }
    case 'invalid_format':
      return iss.format === 'regex' ? 'has an invalid format' : `must be a valid ${iss.format}`
    case 'not_multiple_of':
      return `must be a multiple of ${iss.divisor}`
    case 'invalid_key':
      return 'is not an allowed name'
    case 'invalid_union':
      return 'does not match any allowed form'
    default:
      return undefined
  }
}

/** One line per zod issue; a bad record key also says why the key was refused. */
export function issueLines(source: string, raw: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map(issue => {
    const why = issue.code === 'invalid_key' ? issue.issues.map(inner => inner.message).join('; ') : ''
    return lineAt(source, raw, issue.path, why === '' ? issue.message : `${issue.message}: ${why}`)
  })
}
