import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument } from 'yaml'
import { entryLabel, issueLines, lineAt, describeIssue, type EntrySection } from './provision-errors'
import { PROVISION_SECTIONS, ProvisionFileSchema, type ProvisionFile } from './provision-schema'
import { substituteEnv } from './substitute-env'

/** Outcome of reading a provisioning file: the checked file or one line per problem. */
export type LoadProvisionResult = { ok: true; file: ProvisionFile } | { ok: false; errors: string[] }

type Parsed = { ok: true; value: unknown } | { ok: false; errors: string[] }

// Anchors and aliases are allowed, but not the exponential expansion of an alias bomb.
const MAX_ALIAS_COUNT = 100

function parseYaml(source: string, text: string): Parsed {
  const lineCounter = new LineCounter()
  // prettyErrors would append the offending source line, which may hold a key.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map(error => {
        const { line, col } = lineCounter.linePos(error.pos[0])
        return `${source}: line ${line}, column ${col}: YAML syntax error: ${error.message}`
      })
    }
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown }
  } catch (err) {
    return { ok: false, errors: [`${source}: YAML error: ${err instanceof Error ? err.message : String(err)}`] }
  }
}

/** V8 reports where an error is in the message; a prefix that only fails at its very end is just cut short. */
function failsOnlyAtEnd(text: string, length: number): boolean {
  try {
    JSON.parse(text.slice(0, length))
    return true
  } catch (err) {
    const message = err instanceof Error ? err.message : ''
    const position = /at position (\d+)/.exec(message)?.[1]
    return message.startsWith('Unexpected end') || (position !== undefined && Number(position) >= length)
  }
}

/**
 * Offset of a JSON syntax error whose message has none (V8's `Unexpected token` form): prefixes
 * before the bad character fail only because they end early, longer ones fail for real, so the
 * boundary is found by bisection.
 */
function jsonErrorOffset(text: string): number {
  let low = 0
  let high = text.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (failsOnlyAtEnd(text, mid)) low = mid
    else high = mid - 1
  }
  return low
}

/**
 * What went wrong, without the input: V8 quotes a slice of it (`Unexpected token '}', ..."sk-abc", }"
 * is not valid JSON`) and that slice may hold a key.
 */
function jsonProblem(message: string): string {
  const token = /^Unexpected token '(.)'/su.exec(message)?.[1]
  if (token !== undefined) return `Unexpected token '${token}'`
  const description = message.replace(/ in JSON at position \d+.*$/s, '')
  // Any other message that quotes the input is cut before the quote.
  return description.split('"')[0]?.replace(/[\s,.]+$/, '') || 'invalid JSON'
}

function parseJson(source: string, text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const position = /at position (\d+)/.exec(message)?.[1]
    const offset = position === undefined ? jsonErrorOffset(text) : Number(position)
    const before = text.slice(0, offset).split('\n')
    const where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`
    return { ok: false, errors: [`${source}: ${where}: JSON syntax error: ${jsonProblem(message)}`] }
  }
}

/** Names must be unique within a section: they are what the file and the database are matched by. */
function duplicateNames(source: string, section: EntrySection, entries: ReadonlyArray<{ name: string }>): string[] {
  const errors: string[] = []
  const seen = new Map<string, number>()
  entries.forEach((entry, index) => {
    const first = seen.get(entry.name)
    if (first === undefined) seen.set(entry.name, index)
    else errors.push(`${entryLabel(source, section, index, entry.name)}: name is already used by ${section}[${first}]`)
  })
  return errors
}

/** Problems visible in the file alone: repeated names, keys, members and self-fallbacks. */
function crossEntryErrors(source: string, file: ProvisionFile): string[] {
  const errors = [
    ...duplicateNames(source, 'channels', file.channels ?? []),
    ...duplicateNames(source, 'groups', file.groups ?? []),
    ...duplicateNames(source, 'apiKeys', file.apiKeys ?? [])
  ]
  const keyOwners = new Map<string, number>()
  file.apiKeys?.forEach((entry, index) => {
    const first = keyOwners.get(entry.key)
    const label = entryLabel(source, 'apiKeys', index, entry.name)
    // Names the other entry, never the key: error lines end up in logs.
    if (first === undefined) keyOwners.set(entry.key, index)
    else errors.push(`${label}: key is the same as the key of apiKeys[${first}]`)
  })
  file.groups?.forEach((group, index) => {
    const label = entryLabel(source, 'groups', index, group.name)
    const members = new Map<string, number>()
    group.members?.forEach((member, at) => {
      // The database keeps one row per (group, channel, model); a repeat would only fail on write.
      const id = JSON.stringify([member.channel, member.model])
      const first = members.get(id)
      if (first === undefined) members.set(id, at)
      else errors.push(`${label}: members[${at}] repeats members[${first}] (same channel and model)`)
    })
    group.fallback?.forEach((name, at) => {
      if (name === group.name) errors.push(`${label}: fallback[${at}] must name another group, not the group itself`)
    })
  })
  return errors
}

/** The text of a provisioning file, or the line saying why it cannot be read. */
export type ReadProvisionResult = { ok: true; text: string } | { ok: false; errors: string[] }

/** Reads a provisioning file's text (without a byte order mark). */
export function readProvisionText(path: string): ReadProvisionResult {
  try {
    return { ok: true, text: readFileSync(path, 'utf8').replace(/^\uFEFF/, '') }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`
    return { ok: false, errors: [`${path}: ${reason}`] }
  }
}

/**
 * Reads and checks a provisioning file (YAML, or JSON when the name ends in `.json`): syntax,
 * `${VAR}` substitution from `env`, field rules and uniqueness. References to channels and groups
 * that may live in the database are checked by applyProvision.
 */
export function loadProvisionFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>
): LoadProvisionResult {
  const read = readProvisionText(path)
  return read.ok ? parseProvisionText(path, read.text, env) : read
}

/** Checks the text of the provisioning file at `path` as loadProvisionFile does (the watch hashes the same text it parses). */
export function parseProvisionText(
  path: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>
): LoadProvisionResult {
  const source = path
  const parsed = path.toLowerCase().endsWith('.json') ? parseJson(source, text) : parseYaml(source, text)
  if (!parsed.ok) return parsed
  // An empty file declares nothing; that is allowed like every section being optional.
  const document = parsed.value ?? {}

  if (typeof document !== 'object' || Array.isArray(document)) {
    return { ok: false, errors: [`${source}: must be a mapping of sections (${PROVISION_SECTIONS.join(', ')})`] }
  }

  const { value, missing } = substituteEnv(document, env)
  if (missing.length > 0) {
    return {
      ok: false,
      errors: missing.map(ref => lineAt(source, value, ref.path, `uses \${${ref.name}}, which is not set`))
    }
  }
  const result = ProvisionFileSchema.safeParse(value, { error: describeIssue })
  if (!result.success) return { ok: false, errors: issueLines(source, value, result.error.issues) }
  const errors = crossEntryErrors(source, result.data)
  return errors.length > 0 ? { ok: false, errors } : { ok: true, file: result.data }
}
