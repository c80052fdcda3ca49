import { z } from 'zod'

/** Log levels accepted by the logger. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * One configuration option: its schema, where it may come from and how an error describes it.
 * `file: false` keeps secrets out of config.json.
 */
interface OptionDef {
  readonly schema: z.ZodType
  readonly env: string
  readonly flag?: string
  readonly file: boolean
  readonly allowed: string
  readonly doc: string
}

const intRange = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

/** Every option, in the order `--help` lists them. */
export const CONFIG_OPTIONS = {
  port: {
    schema: intRange(0, 65535).default(7878),
    env: 'CUTTLE_PORT',
    flag: 'port',
    file: true,
    allowed: 'an integer from 0 to 65535 (0 picks a free port)',
    doc: 'TCP port of the relay, admin API and UI'
  },
  host: {
    schema: z.string().min(1).max(255).regex(/^[A-Za-z0-9.:[\]-]+$/).default('127.0.0.1'),
    env: 'CUTTLE_HOST',
    flag: 'host',
    file: true,
    allowed: 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0',
    doc: 'address to bind; keep 127.0.0.1 unless a TLS proxy is in front'
  },
  allowedHosts: {
    schema: z
      .string()
      .regex(/^\s*(\*|[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\s*(,\s*(\*|[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\s*)*$/)
      .nullable()
      .default(null),
    env: 'CUTTLE_ALLOWED_HOSTS',
    flag: 'allowed-hosts',
    file: true,
    allowed: 'comma-separated host names without port (e.g. cuttle.example.com), or * for any',
    doc: 'Host header names answered besides localhost, 127.0.0.1 and [::1] (unset: loopback names only when bound to loopback, any otherwise)'
  },
  dataDir: {
    schema: z.string().min(1).default('data'),
    env: 'CUTTLE_DATA_DIR',
    flag: 'data-dir',
    file: false,
    allowed: 'a directory path',
    doc: 'where config.json, the SQLite database and the secret file live'
  },
  dbUrl: {
    schema: z
      .string()
      .regex(/^(postgres|postgresql|mysql|mariadb):\/\/\S+$/)
      .nullable()
      .default(null),
    env: 'CUTTLE_DB_URL',
    flag: 'db-url',
    file: true,
    allowed: 'a postgres://, postgresql://, mysql:// or mariadb:// URL (unset = SQLite in the data dir)',
    doc: 'server database instead of the embedded SQLite file'
  },
  redisUrl: {
    schema: z
      .string()
      .regex(/^rediss?:\/\/\S+$/)
      .refine(value => URL.canParse(value))
      .nullable()
      .default(null),
    env: 'CUTTLE_REDIS_URL',
    flag: 'redis-url',
    file: true,
    allowed: 'a redis:// or rediss:// URL (unset = rpm and tpm counted per instance)',
    doc: 'Redis through which instances share client key rpm and tpm counts'
  },
  adminPassword: {
    schema: z.string().min(8).max(1000).nullable().default(null),
    env: 'CUTTLE_ADMIN_PASSWORD',
    file: false,
    allowed: 'a password of at least 8 characters',
    doc: 'password of the admin account created on first start (otherwise one is generated and printed once)'
  },
  secret: {
    schema: z.string().min(16).max(1000).nullable().default(null),
    env: 'CUTTLE_SECRET',
    file: false,
    allowed: 'a string of at least 16 characters',
    doc: 'encrypts provider keys and signs admin tokens (otherwise <data dir>/secret.key is generated); share it between instances on one database'
  },
  provision: {
    schema: z.string().min(1).nullable().default(null),
    env: 'CUTTLE_PROVISION',
    flag: 'provision',
    file: true,
    allowed: 'a path to a YAML or JSON provisioning file',
    doc: 'channels, groups, API keys and settings applied at start (and when the file changes), by name'
  },
  provisionWatch: {
    // Environment and argv give text; config.json may hold a real boolean.
    schema: z.union([z.boolean(), z.stringbool()]).default(true),
    env: 'CUTTLE_PROVISION_WATCH',
    flag: 'provision-watch',
    file: true,
    allowed: 'true or false (also 1/0, yes/no, on/off)',
    doc: 'while running, apply the provisioning file again whenever it changes'
  },
  bodyLimitBytes: {
    schema: intRange(1024, 1024 * 1024 * 1024).default(32 * 1024 * 1024),
    env: 'CUTTLE_BODY_LIMIT_BYTES',
    flag: 'body-limit-bytes',
    file: true,
    allowed: 'an integer from 1024 to 1073741824',
    doc: 'largest request body accepted (413 above it)'
  },
  shutdownGraceMs: {
    schema: intRange(0, 600_000).default(10_000),
    env: 'CUTTLE_SHUTDOWN_GRACE_MS',
    file: true,
    allowed: 'an integer from 0 to 600000',
    doc: 'how long shutdown waits for requests in flight'
  },
  statsFlushIntervalMs: {
    schema: intRange(100, 600_000).default(1000),
    env: 'CUTTLE_STATS_FLUSH_MS',
    file: true,
    allowed: 'an integer from 100 to 600000',
    doc: 'how often usage counters and request logs are written to the database'
  },
  configPollIntervalMs: {
    schema: intRange(100, 60_000).default(1000),
    env: 'CUTTLE_CONFIG_POLL_MS',
    file: true,
    allowed: 'an integer from 100 to 60000',
    doc: 'how often the shared configuration revision is read, so admin changes made on another instance take effect here'
  },
  logQueueLimit: {
    schema: intRange(100, 1_000_000).default(50_000),
    env: 'CUTTLE_LOG_QUEUE_LIMIT',
    file: true,
    allowed: 'an integer from 100 to 1000000',
    doc: 'request-log rows kept in memory while the database is slow; beyond it rows are dropped and counted'
  },
  tokenTtlHours: {
    schema: intRange(1, 24 * 90).default(24),
    env: 'CUTTLE_TOKEN_TTL_HOURS',
    file: true,
    allowed: 'an integer from 1 to 2160',
    doc: 'lifetime of an admin token'
  },
  ampUpstreamUrl: {
    // An empty environment variable means unset everywhere, so `off` says "no forwarding" there.
    schema: z
      .union([z.literal(''), z.literal('off').transform(() => ''), z.url({ protocol: /^https?$/ })])
      .default('https://ampcode.com'),
    env: 'CUTTLE_AMP_UPSTREAM_URL',
    flag: 'amp-upstream-url',
    file: true,
    allowed: 'an http:// or https:// URL, or "" / off to stop forwarding',
    doc: "where Amp CLI's management requests under /amp (sign-in, threads, telemetry) are forwarded"
  },
  ampApiKey: {
    schema: z.string().min(1).max(1000).nullable().default(null),
    env: 'CUTTLE_AMP_API_KEY',
    file: false,
    allowed: 'your ampcode.com API key',
    doc: "sent to the Amp upstream on forwarded management requests in place of the Cuttle key Amp CLI presents (AMP_API_KEY is then the Cuttle key)"
  },
  allowAntigravity: {
    // Off unless the operator says so: Antigravity channels may break Google's terms of service (README "Antigravity (opt-in)").
    schema: z.union([z.boolean(), z.stringbool()]).default(false),
    env: 'CUTTLE_ALLOW_ANTIGRAVITY',
    file: true,
    allowed: 'true or false (also 1/0, yes/no, on/off)',
    doc: "allow Antigravity channels (Google's Cloud Code API with OAuth refresh tokens), which may break Google's terms of service"
  },
  logLevel: {
    schema: z.enum(LOG_LEVELS).default('info'),
    env: 'CUTTLE_LOG_LEVEL',
    flag: 'log-level',
    file: true,
    allowed: `one of ${LOG_LEVELS.join(', ')}`,
    doc: 'log verbosity'
  }
} as const satisfies Record<string, OptionDef>

/** Name of a configuration option. */
export type ConfigKey = keyof typeof CONFIG_OPTIONS

/** The merged, validated configuration the core is built from. */
export type AppConfig = {
  [K in ConfigKey]: z.output<(typeof CONFIG_OPTIONS)[K]['schema']>
} & {
  /** Absolute path of config.json. */
  configFile: string
}

/** Options whose value is a number (environment and argv strings are converted for them). */
export const NUMERIC_OPTIONS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  'port',
  'bodyLimitBytes',
  'shutdownGraceMs',
  'statsFlushIntervalMs',
  'configPollIntervalMs',
  'logQueueLimit',
  'tokenTtlHours'
])
