import type { Settings } from '@shared/dto/settings'

/** Unit a number setting is stored in (its name is translated as `unit.<unit>`). */
export type Unit = 'attempts' | 'ms' | 's' | 'h' | 'days' | 'bytes' | 'rows'

type NumberKey = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings]
type BooleanKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings]
type TextKey = { [K in keyof Settings]: Settings[K] extends string ? K : never }[keyof Settings]

/** One setting as the form shows it; ranges mirror shared/dto/settings.ts and are shown, the server enforces them. */
export type FieldDef =
  | { key: NumberKey; kind: 'number'; unit: Unit; min: number; max: number; integer: boolean; zero?: 'never' | 'off' }
  | { key: BooleanKey; kind: 'boolean' }
  | { key: TextKey; kind: 'text' }

/** The form's sections, in the order a user tunes them. */
export const SECTIONS: ReadonlyArray<{ id: string; fields: readonly FieldDef[] }> = [
  {
    id: 'routing',
    fields: [
      { key: 'maxAttempts', kind: 'number', unit: 'attempts', min: 1, max: 20, integer: true },
      { key: 'stickySessionTtlSec', kind: 'number', unit: 's', min: 0, max: 604_800, integer: true, zero: 'off' }
    ]
  },
  {
    id: 'timeouts',
    fields: [
      { key: 'connectTimeoutMs', kind: 'number', unit: 'ms', min: 100, max: 600_000, integer: true },
      { key: 'firstByteTimeoutMs', kind: 'number', unit: 'ms', min: 100, max: 3_600_000, integer: true },
      { key: 'idleTimeoutMs', kind: 'number', unit: 'ms', min: 100, max: 3_600_000, integer: true },
      { key: 'streamKeepAliveSec', kind: 'number', unit: 's', min: 0, max: 600, integer: true, zero: 'never' },
      { key: 'baseUrlProbeIntervalSec', kind: 'number', unit: 's', min: 0, max: 86_400, integer: true, zero: 'off' }
    ]
  },
  {
    id: 'logs',
    fields: [
      { key: 'captureBodies', kind: 'boolean' },
      { key: 'bodyCaptureLimitBytes', kind: 'number', unit: 'bytes', min: 0, max: 10_485_760, integer: true },
      { key: 'logRetentionDays', kind: 'number', unit: 'days', min: 1, max: 3650, integer: true },
      { key: 'logMaxRows', kind: 'number', unit: 'rows', min: 1000, max: 1_000_000_000, integer: true }
    ]
  },
  {
    id: 'sync',
    fields: [
      { key: 'modelSyncIntervalHours', kind: 'number', unit: 'h', min: 0, max: 8760, integer: false, zero: 'never' },
      { key: 'autoGroups', kind: 'boolean' },
      { key: 'priceSyncIntervalHours', kind: 'number', unit: 'h', min: 0, max: 8760, integer: false, zero: 'never' },
      { key: 'pricesSyncUrl', kind: 'text' }
    ]
  }
]

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

/** A duration in seconds in its largest sensible unit (`90` → `1.5 min`). */
function duration(seconds: number): string {
  if (seconds < 60) return `${count.format(seconds)} s`
  if (seconds < 3600) return `${count.format(seconds / 60)} min`
  if (seconds < 86_400) return `${count.format(seconds / 3600)} h`
  return `${count.format(seconds / 86_400)} d`
}

/**
 * The value in words a person reads at a glance (`120000` ms → `2 min`), or null when the number
 * already says it; `zero` settings read 0 as their off state.
 */
export function readable(field: Extract<FieldDef, { kind: 'number' }>, value: number | null): string | null {
  if (value === null) return null
  switch (field.unit) {
    case 'ms':
      return value >= 1000 ? duration(value / 1000) : null
    case 's':
      return value >= 60 ? duration(value) : null
    case 'h':
      return value > 0 && value < 1 ? duration(value * 3600) : value >= 48 ? duration(value * 3600) : null
    case 'bytes':
      return value >= 1024 * 1024 ? `${count.format(value / 1024 / 1024)} MiB` : value >= 1024 ? `${count.format(value / 1024)} KiB` : null
    case 'rows':
    case 'days':
      return value >= 1000 ? count.format(value) : null
    default:
      return null
  }
}
