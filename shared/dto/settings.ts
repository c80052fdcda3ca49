import { z } from 'zod'

/** Every runtime setting's rule, without defaults, so partial updates never reset other fields. */
const settingFields = {
  /** Most channels one request may try. */
  maxAttempts: z.number().int().min(1).max(20),
  /** Seconds a conversation stays on the channel and key that last answered it, so prompt caches hit (0: off). */
  stickySessionTtlSec: z.number().int().min(0).max(604_800),
  /** TCP/TLS connect deadline per attempt. */
  connectTimeoutMs: z.number().int().min(100).max(600_000),
  /** Deadline for the upstream's response headers. */
  firstByteTimeoutMs: z.number().int().min(100).max(3_600_000),
  /** Longest silence allowed between two chunks of a streamed answer. */
  idleTimeoutMs: z.number().int().min(100).max(3_600_000),
  /** Store request and response bodies in the request log (capped). */
  captureBodies: z.boolean(),
  /** Bytes of each body kept when capturing. */
  bodyCaptureLimitBytes: z.number().int().min(0).max(10_485_760),
  /** Days of request logs kept. */
  logRetentionDays: z.number().int().min(1).max(3650),
  /** Most request log rows kept; the oldest go first. */
  logMaxRows: z.number().int().min(1000).max(1_000_000_000),
  /** Seconds of upstream silence after which a stream gets an SSE keep-alive comment (0: never). */
  streamKeepAliveSec: z.number().int().min(0).max(600),
  /** Seconds between latency probes of channels with several base URLs (0: measure real traffic only). */
  baseUrlProbeIntervalSec: z.number().int().min(0).max(86_400),
  /** Where `POST /api/v1/prices/sync` and the scheduled sync read the models.dev catalogue. */
  pricesSyncUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
  /** Hours between scheduled syncs of the models.dev prices (0: never; fractions allowed). */
  priceSyncIntervalHours: z.number().min(0).max(8760),
  /** Hours between model syncs of channels with `autoSync` (0: never; fractions allowed, e.g. 0.5). */
  modelSyncIntervalHours: z.number().min(0).max(8760),
  /** A model that a sync adds and no group is named after gets a group of its own. */
  autoGroups: z.boolean()
}

/** Runtime settings kept in the database and editable while Cuttle runs. */
export const SettingsSchema = z
  .object({
    maxAttempts: settingFields.maxAttempts.default(3),
    stickySessionTtlSec: settingFields.stickySessionTtlSec.default(3600),
    connectTimeoutMs: settingFields.connectTimeoutMs.default(10_000),
    firstByteTimeoutMs: settingFields.firstByteTimeoutMs.default(120_000),
    idleTimeoutMs: settingFields.idleTimeoutMs.default(300_000),
    captureBodies: settingFields.captureBodies.default(false),
    bodyCaptureLimitBytes: settingFields.bodyCaptureLimitBytes.default(65_536),
    logRetentionDays: settingFields.logRetentionDays.default(30),
    logMaxRows: settingFields.logMaxRows.default(1_000_000),
    streamKeepAliveSec: settingFields.streamKeepAliveSec.default(15),
    baseUrlProbeIntervalSec: settingFields.baseUrlProbeIntervalSec.default(0),
    pricesSyncUrl: settingFields.pricesSyncUrl.default('https://models.dev/api.json'),
    priceSyncIntervalHours: settingFields.priceSyncIntervalHours.default(24),
    modelSyncIntervalHours: settingFields.modelSyncIntervalHours.default(24),
    autoGroups: settingFields.autoGroups.default(false)
  })
  .strict()
export type Settings = z.infer<typeof SettingsSchema>

/** Body of `PATCH /api/v1/settings`: only the given fields change. */
export const SettingsUpdateSchema = z.object(settingFields).partial().strict()
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>

/** Defaults of every setting. */
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({})
