import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFIG_OPTIONS, NUMERIC_OPTIONS, type AppConfig, type ConfigKey } from './config'

/** What the command line asked for besides configuration. */
export interface LaunchMode {
  server: boolean
  help: boolean
}

/** Result of loading: a valid configuration or one message per problem. */
export type LoadConfigResult =
  | { ok: true; config: AppConfig; mode: LaunchMode; configFileExists: boolean }
  | { ok: false; errors: string[] }

/** Inputs of loadConfig; injected so tests need no real process state. */
export interface LoadConfigInput {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  cwd: string
}

type Source = 'default' | 'config.json' | `env ${string}` | `--${string}`
type Layer = Partial<Record<ConfigKey, { value: unknown; source: Source }>>

const KEYS = Object.keys(CONFIG_OPTIONS) as ConfigKey[]
const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['adminPassword', 'secret', 'ampApiKey'])
/** Options holding a URL that may carry a password. */
const URL_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['dbUrl', 'redisUrl'])
const CONFIG_FILE = 'config.json'

/**
 * Merges defaults < `<data dir>/config.json` < `CUTTLE_*` env < argv and validates every value.
 * This is the only module that reads process configuration.
 */
export function loadConfig(input: LoadConfigInput): LoadConfigResult {
  const args = parseArgv(input.argv)
  if (!args.ok) return { ok: false, errors: [args.error] }
  const envLayer = readEnv(input.env)
  const dataDirRaw = args.layer.dataDir?.value ?? envLayer.dataDir?.value ?? 'data'
  const dataDir = resolve(input.cwd, String(dataDirRaw))
  const configFile = join(dataDir, CONFIG_FILE)
  const configFileExists = existsSync(configFile)
  const file = configFileExists ? readConfigFile(configFile) : { ok: true as const, layer: {} }
  if (!file.ok) return { ok: false, errors: file.errors }

  const errors: string[] = []
  const values: Partial<Record<ConfigKey, unknown>> = {}
  for (const key of KEYS) {
    const chosen = args.layer[key] ?? envLayer[key] ?? file.layer[key]
    const parsed = CONFIG_OPTIONS[key].schema.safeParse(chosen?.value)
    if (parsed.success) values[key] = parsed.data
    else errors.push(describeInvalid(key, chosen?.value, chosen?.source ?? 'default'))
  }
  if (errors.length > 0) return { ok: false, errors }
  const config = { ...values, dataDir, configFile } as AppConfig
  return { ok: true, config, mode: args.mode, configFileExists }
}

/** Writes config.json with the default of every file option, so users see what they can set. */
export function writeDefaultConfigFile(config: AppConfig): void {
  mkdirSync(config.dataDir, { recursive: true })
  const defaults: Record<string, unknown> = {}
  for (const key of KEYS) {
    if (CONFIG_OPTIONS[key].file) defaults[key] = CONFIG_OPTIONS[key].schema.parse(undefined)
  }
  writeFileSync(config.configFile, `${JSON.stringify(defaults, null, 2)}\n`, { flag: 'wx' })
}

/** Text of `--help`. */
export function helpText(): string {
  const lines = ['Usage: cuttle --server [options]', '', 'Options (flag / environment variable):']
  for (const key of KEYS) {
    const def = CONFIG_OPTIONS[key]
    const flag = 'flag' in def ? `--${def.flag} ` : ''
    lines.push(`  ${flag}${def.env}`, `      ${def.doc}; ${def.allowed}`)
  }
  return lines.join('\n')
}

function parseArgv(
  argv: readonly string[]
): { ok: true; layer: Layer; mode: LaunchMode } | { ok: false; error: string } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    server: { type: 'boolean' },
    help: { type: 'boolean' }
  }
  const flagToKey = new Map<string, ConfigKey>()
  for (const key of KEYS) {
    const def = CONFIG_OPTIONS[key]
    if ('flag' in def) {
      options[def.flag] = { type: 'string' }
      flagToKey.set(def.flag, key)
    }
  }
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false })
    const layer: Layer = {}
    for (const [flag, key] of flagToKey) {
      const raw = values[flag]
      if (typeof raw === 'string') layer[key] = { value: fromString(key, raw), source: `--${flag}` }
    }
    return { ok: true, layer, mode: { server: values.server === true, help: values.help === true } }
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
    return { ok: false, error: `Invalid command line: ${message} (run with --help to list the options)` }
  }
}

function readEnv(env: LoadConfigInput['env']): Layer {
  const layer: Layer = {}
  for (const key of KEYS) {
    const name = CONFIG_OPTIONS[key].env
    const raw = env[name]
    if (raw !== undefined && raw !== '') layer[key] = { value: fromString(key, raw), source: `env ${name}` }
  }
  return layer
}

function readConfigFile(path: string): { ok: true; layer: Layer } | { ok: false; errors: string[] } {
  let parsed: unknown
  try {
    // Editors on Windows may save UTF-8 with a byte order mark, which JSON.parse rejects.
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''))
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    return { ok: false, errors: [`Invalid configuration file ${path}: not valid JSON (${reason})`] }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, errors: [`Invalid configuration file ${path}: must be a JSON object`] }
  }
  const errors: string[] = []
  const layer: Layer = {}
  const fileKeys = KEYS.filter(key => CONFIG_OPTIONS[key].file)
  for (const [name, value] of Object.entries(parsed)) {
    const key = fileKeys.find(k => k === name)
    if (key) layer[key] = { value, source: 'config.json' }
    else if (KEYS.includes(name as ConfigKey)) {
      const env = CONFIG_OPTIONS[name as ConfigKey].env
      errors.push(`Invalid configuration file ${path}: "${name}" cannot be set in the file; use ${env}`)
    } else {
      errors.push(
        `Invalid configuration file ${path}: unknown key "${name}"; allowed keys are ${fileKeys.join(', ')}`
      )
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, layer }
}

/** Environment and argv give strings; numeric options get a number when the text is an integer. */
function fromString(key: ConfigKey, raw: string): unknown {
  return NUMERIC_OPTIONS.has(key) && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw
}

function describeInvalid(key: ConfigKey, value: unknown, source: Source): string {
  const shown = SECRET_KEYS.has(key) ? '<hidden>' : JSON.stringify(URL_KEYS.has(key) ? hideUrlPassword(value) : value)
  return `Invalid configuration: ${key} = ${shown} (from ${source}) must be ${CONFIG_OPTIONS[key].allowed}`
}

/** A database or Redis URL may carry a password; an error line shows `user:****@` instead. */
function hideUrlPassword(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/(\/\/[^/:@]*:).*@/s, '$1****@') : value
}
