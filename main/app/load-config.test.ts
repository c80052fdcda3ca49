import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CONFIG_OPTIONS, type AppConfig, type ConfigKey } from './config'
import { helpText, loadConfig, writeDefaultConfigFile, type LoadConfigInput, type LaunchMode } from './load-config'

let cwd: string

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cuttle-config-'))
})

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true })
})

type Loaded = { config: AppConfig; mode: LaunchMode; configFileExists: boolean }

function load(input: Partial<LoadConfigInput> = {}): ReturnType<typeof loadConfig> {
  return loadConfig({ argv: [], env: {}, cwd, ...input })
}

function loaded(input: Partial<LoadConfigInput> = {}): Loaded {
  const result = load(input)
  if (!result.ok) throw new Error(`expected a valid configuration, got:\n${result.errors.join('\n')}`)
  return result
}

function errors(input: Partial<LoadConfigInput> = {}): string[] {
  const result = load(input)
  if (result.ok) throw new Error('expected configuration errors, got a valid configuration')
  return result.errors
}

/** Writes `<cwd>/data/config.json` (the default data dir) with raw text. */
function writeConfigText(text: string, dir = join(cwd, 'data')): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'config.json'), text)
}

const writeConfig = (value: unknown, dir?: string): void => writeConfigText(JSON.stringify(value), dir)
const KEYS = Object.keys(CONFIG_OPTIONS) as ConfigKey[]
const FILE_KEYS = KEYS.filter(key => CONFIG_OPTIONS[key].file)

describe('defaults', () => {
  it('with nothing set: port 7878, host 127.0.0.1, data dir resolved against cwd', () => {
    const { config, mode, configFileExists } = loaded()
    expect(config).toEqual({
      port: 7878,
      host: '127.0.0.1',
      allowedHosts: null,
      dataDir: join(cwd, 'data'),
      configFile: join(cwd, 'data', 'config.json'),
      dbUrl: null,
      redisUrl: null,
      adminPassword: null,
      secret: null,
      provision: null,
      provisionWatch: true,
      bodyLimitBytes: 32 * 1024 * 1024,
      shutdownGraceMs: 10_000,
      statsFlushIntervalMs: 1000,
      configPollIntervalMs: 1000,
      logQueueLimit: 50_000,
      tokenTtlHours: 24,
      ampUpstreamUrl: 'https://ampcode.com',
      ampApiKey: null,
      allowAntigravity: false,
      logLevel: 'info'
    })
    expect(mode).toEqual({ server: false, help: false })
    expect(configFileExists).toBe(false)
  })

  it('a relative data dir is resolved against cwd; an absolute one is kept', () => {
    expect(loaded({ argv: ['--data-dir', 'state/here'] }).config.dataDir).toBe(join(cwd, 'state', 'here'))
    const absolute = join(cwd, 'elsewhere')
    expect(loaded({ env: { CUTTLE_DATA_DIR: absolute } }).config.configFile).toBe(join(absolute, 'config.json'))
  })

  it('an empty environment variable counts as unset', () => {
    expect(loaded({ env: { CUTTLE_PORT: '', CUTTLE_HOST: '' } }).config).toMatchObject({ port: 7878, host: '127.0.0.1' })
  })

  it('--server sets mode.server', () => {
    expect(loaded({ argv: ['--server'] }).mode).toEqual({ server: true, help: false })
  })
})

describe('precedence: defaults < config.json < env < argv', () => {
  const port = (input: Partial<LoadConfigInput>): number => loaded(input).config.port
  const env = { CUTTLE_PORT: '2002' }
  const argv = ['--port', '3003']

  it('config.json beats the default', () => {
    writeConfig({ port: 1001 })
    expect(loaded().configFileExists).toBe(true)
    expect(port({})).toBe(1001)
  })

  it('env beats config.json and the default', () => {
    expect(port({ env })).toBe(2002)
    writeConfig({ port: 1001 })
    expect(port({ env })).toBe(2002)
  })

  it('argv beats env, config.json and the default', () => {
    expect(port({ argv })).toBe(3003)
    expect(port({ argv, env })).toBe(3003)
    writeConfig({ port: 1001 })
    expect(port({ argv, env })).toBe(3003)
    expect(port({ argv: ['--port=3004'] })).toBe(3004)
  })

  it('layers merge per key', () => {
    writeConfig({ port: 1001, host: '0.0.0.0', logLevel: 'debug' })
    const { config } = loaded({ env: { CUTTLE_LOG_LEVEL: 'warn', CUTTLE_PORT: '2002' }, argv: ['--port', '3003'] })
    expect(config).toMatchObject({ port: 3003, host: '0.0.0.0', logLevel: 'warn' })
  })

  it('config.json is read from the data dir chosen by env or argv (argv first)', () => {
    writeConfig({ port: 1111 }, join(cwd, 'from-env'))
    writeConfig({ port: 2222 }, join(cwd, 'from-argv'))
    expect(port({ env: { CUTTLE_DATA_DIR: 'from-env' } })).toBe(1111)
    expect(port({ env: { CUTTLE_DATA_DIR: 'from-env' }, argv: ['--data-dir', 'from-argv'] })).toBe(2222)
  })
})

describe('writeDefaultConfigFile', () => {
  it('writes only file-settable keys with their defaults, and the file loads back', () => {
    const first = loaded()
    writeDefaultConfigFile(first.config)
    const written = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(first.config.configFile, 'utf8')))
    expect(Object.keys(written)).toEqual(FILE_KEYS)
    for (const secret of ['adminPassword', 'secret', 'dataDir']) expect(written).not.toHaveProperty(secret)
    expect(written).toMatchObject({ port: 7878, host: '127.0.0.1', dbUrl: null, logLevel: 'info' })
    const again = loaded()
    expect(again.configFileExists).toBe(true)
    expect(again.config).toEqual(first.config)
  })

  it('does not overwrite an existing file', () => {
    writeConfig({ port: 1001 })
    expect(() => writeDefaultConfigFile(loaded().config)).toThrow(/EEXIST/)
    expect(loaded().config.port).toBe(1001)
  })
})

describe('invalid values: one line each, naming key, source and allowed values', () => {
  const allowed = CONFIG_OPTIONS.port.allowed

  it.each<[string, Partial<LoadConfigInput>, string]>([
    ['config.json', {}, '(from config.json)'],
    ['env', { env: { CUTTLE_PORT: 'abc' } }, '(from env CUTTLE_PORT)'],
    ['argv', { argv: ['--port', '99999'] }, '(from --port)']
  ])('a bad port in %s', (layer, input, source) => {
    writeConfig({ port: layer === 'config.json' ? 70000 : 1001 })
    const lines = errors(input)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('port')
    expect(lines[0]).toContain(source)
    expect(lines[0]).toContain(allowed)
  })

  it('a bad lower layer does not matter when a higher layer overrides it', () => {
    writeConfig({ port: 70000 })
    expect(loaded({ env: { CUTTLE_PORT: '2002' } }).config.port).toBe(2002)
  })

  it('non-integer strings for numeric options are rejected, with the value shown', () => {
    for (const raw of ['80.5', '1e3', '8080abc', '0x50']) {
      const [line, ...rest] = errors({ env: { CUTTLE_PORT: raw } })
      expect(rest).toEqual([])
      expect(line).toContain(JSON.stringify(raw))
    }
    expect(loaded({ env: { CUTTLE_PORT: ' 8080 ' } }).config.port).toBe(8080)
  })

  it('allowed hosts: a comma-separated list of names or *, from env or --allowed-hosts; anything else is one line', () => {
    expect(loaded({ env: { CUTTLE_ALLOWED_HOSTS: 'cuttle.example.com, [::1],10.0.0.5' } }).config.allowedHosts).toBe('cuttle.example.com, [::1],10.0.0.5')
    expect(loaded({ argv: ['--allowed-hosts', '*'] }).config.allowedHosts).toBe('*')
    expect(errors({ env: { CUTTLE_ALLOWED_HOSTS: 'http://cuttle.example.com/' } })).toEqual([
      'Invalid configuration: allowedHosts = "http://cuttle.example.com/" (from env CUTTLE_ALLOWED_HOSTS) must be comma-separated host names without port (e.g. cuttle.example.com), or * for any'
    ])
  })

  it('several bad values give one line each', () => {
    writeConfig({ logQueueLimit: 5 })
    const lines = errors({ env: { CUTTLE_HOST: 'bad host!', CUTTLE_LOG_LEVEL: 'loud' }, argv: ['--port=-1'] })
    expect(lines).toHaveLength(4)
    const expected: Array<[ConfigKey, string]> = [
      ['port', '(from --port)'],
      ['host', '(from env CUTTLE_HOST)'],
      ['logQueueLimit', '(from config.json)'],
      ['logLevel', '(from env CUTTLE_LOG_LEVEL)']
    ]
    for (const [key, source] of expected) {
      const line = lines.find(l => l.includes(`: ${key} = `))
      expect(line, key).toBeDefined()
      expect(line).toContain(source)
      expect(line).toContain(CONFIG_OPTIONS[key].allowed)
    }
  })

  it.each<[string, string]>([
    ['CUTTLE_ADMIN_PASSWORD', 'adminPassword'],
    ['CUTTLE_SECRET', 'secret']
  ])('a too-short %s is reported without its value', (name, key) => {
    const value = 'shh123'
    const lines = errors({ env: { [name]: value } })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(key)
    expect(lines[0]).toContain(`env ${name}`)
    expect(lines[0]).not.toContain(value)
  })
})

describe('database URL in errors', () => {
  it.each([
    'mysql2://cuttle:hunter2-secret@db.local/cuttle',
    'postgres://cuttle:hunter2 secret@db.local/cuttle',
    'postgres://cuttle:hunter2@secret@db local/cuttle'
  ])('an invalid %s is reported without its password', url => {
    const lines = errors({ env: { CUTTLE_DB_URL: url } })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('dbUrl')
    expect(lines[0]).toContain('(from env CUTTLE_DB_URL)')
    expect(lines[0]).toContain('cuttle:****@')
    expect(lines[0]).not.toContain('hunter2')
    expect(lines[0]).not.toContain('secret')
  })

  it('a valid one loads unchanged', () => {
    const url = 'postgres://cuttle:hunter2@db.local:5432/cuttle'
    expect(loaded({ argv: ['--db-url', url] }).config.dbUrl).toBe(url)
  })
})

describe('Redis URL', () => {
  it.each([
    ['http://cuttle:hunter2-secret@cache.local:6379', 'cuttle:****@'],
    ['redis://:hunter2 secret@cache.local:6379', '//:****@'],
    ['rediss://default:hunter2@secret@[::1', 'default:****@']
  ])('an invalid %s is reported with what is allowed and without its password', (url, shown) => {
    const lines = errors({ env: { CUTTLE_REDIS_URL: url } })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('redisUrl')
    expect(lines[0]).toContain('(from env CUTTLE_REDIS_URL)')
    expect(lines[0]).toContain('must be a redis:// or rediss:// URL')
    expect(lines[0]).toContain(shown)
    expect(lines[0]).not.toContain('hunter2')
    expect(lines[0]).not.toContain('secret')
  })

  it('a valid one loads unchanged from the environment, a flag or config.json', () => {
    const url = 'rediss://default:hunter2@cache.local:6380/2'
    expect(loaded({ env: { CUTTLE_REDIS_URL: url } }).config.redisUrl).toBe(url)
    expect(loaded({ argv: ['--redis-url', 'redis://127.0.0.1:6379'] }).config.redisUrl).toBe('redis://127.0.0.1:6379')
    writeConfig({ redisUrl: url })
    expect(loaded().config.redisUrl).toBe(url)
  })
})

describe('provisioning file watch', () => {
  it('on by default; turned off by --provision-watch=false, CUTTLE_PROVISION_WATCH=0 or false in config.json', () => {
    expect(loaded().config.provisionWatch).toBe(true)
    expect(loaded({ argv: ['--provision-watch=false'] }).config.provisionWatch).toBe(false)
    expect(loaded({ env: { CUTTLE_PROVISION_WATCH: '0' } }).config.provisionWatch).toBe(false)
    expect(loaded({ env: { CUTTLE_PROVISION_WATCH: '0' }, argv: ['--provision-watch', 'true'] }).config.provisionWatch).toBe(true)
    writeConfig({ provisionWatch: false })
    expect(loaded().config.provisionWatch).toBe(false)
  })

  it('anything but a yes or no is one line', () => {
    expect(errors({ env: { CUTTLE_PROVISION_WATCH: 'sometimes' } })).toEqual([
      'Invalid configuration: provisionWatch = "sometimes" (from env CUTTLE_PROVISION_WATCH) must be true or false (also 1/0, yes/no, on/off)'
    ])
  })
})

describe('Antigravity opt-in', () => {
  it('off by default; on with CUTTLE_ALLOW_ANTIGRAVITY=1 or true in config.json', () => {
    expect(loaded().config.allowAntigravity).toBe(false)
    expect(loaded({ env: { CUTTLE_ALLOW_ANTIGRAVITY: '1' } }).config.allowAntigravity).toBe(true)
    writeConfig({ allowAntigravity: true })
    expect(loaded().config.allowAntigravity).toBe(true)
  })
})

describe('config.json problems', () => {
  it('a UTF-8 byte order mark (Windows editors) is accepted', () => {
    writeConfigText('\uFEFF{ "port": 1001 }')
    expect(loaded().config.port).toBe(1001)
  })

  it('an unknown key → one line listing the allowed keys', () => {
    writeConfig({ prot: 1 })
    const lines = errors()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('"prot"')
    for (const key of FILE_KEYS) expect(lines[0]).toContain(key)
    expect(lines[0]).not.toContain('adminPassword')
  })

  it.each<[string, string]>([
    ['adminPassword', 'CUTTLE_ADMIN_PASSWORD'],
    ['secret', 'CUTTLE_SECRET'],
    ['dataDir', 'CUTTLE_DATA_DIR']
  ])('%s in the file → use %s, without echoing the value', (key, env) => {
    writeConfig({ [key]: 'a-value-that-must-not-appear' })
    const lines = errors()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`"${key}"`)
    expect(lines[0]).toContain(`use ${env}`)
    expect(lines[0]).not.toContain('a-value-that-must-not-appear')
  })

  it('invalid JSON → one line naming the file', () => {
    writeConfigText('{ "port": 1001, }')
    const lines = errors()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(join(cwd, 'data', 'config.json'))
    expect(lines[0]).toContain('not valid JSON')
  })

  it.each(['[1, 2]', 'null', '42'])('a JSON %s instead of an object → one line', text => {
    writeConfigText(text)
    expect(errors()).toEqual([`Invalid configuration file ${join(cwd, 'data', 'config.json')}: must be a JSON object`])
  })
})

describe('command line', () => {
  it('an unknown flag → one line', () => {
    const lines = errors({ argv: ['--server', '--bogus'] })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('--bogus')
    expect(lines[0]).toContain('--help')
  })

  it('a positional argument or a flag without its value → one line', () => {
    expect(errors({ argv: ['serve'] })).toHaveLength(1)
    expect(errors({ argv: ['--port'] })).toHaveLength(1)
  })

  it('--help sets mode.help and helpText lists every env var and flag', () => {
    expect(loaded({ argv: ['--help'] }).mode).toEqual({ server: false, help: true })
    const text = helpText()
    for (const key of KEYS) {
      const def = CONFIG_OPTIONS[key]
      expect(text).toContain(def.env)
      if ('flag' in def) expect(text).toContain(`--${def.flag}`)
    }
  })
})
