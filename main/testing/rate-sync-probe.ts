import type { KeyLimits, LimitedKey, RateKind } from '../relay/limits/key-limits'
import type { CapturedLog } from './log-capture'

/** What the rate-sharing tests (Redis and database alike) read of instances, at the test's clock. */
export interface RateSyncProbe {
  /** How many of `count` requests `limits` admits. */
  admitted(limits: KeyLimits, key: LimitedKey, count: number): number
  /** The other instances' count of `kind` for `keyId` over the minute, as `limits` last read it. */
  others(limits: KeyLimits, keyId: number, kind: RateKind): number
  /** The messages logged at `level` (pino's numbers: 30 info, 40 warn). */
  lines(log: CapturedLog, level: number): string[]
}

export function rateSyncProbe(clock: () => number): RateSyncProbe {
  return {
    admitted(limits, key, count) {
      let n = 0
      for (let i = 0; i < count; i++) if (limits.admit(key, clock()) === null) n++
      return n
    },
    others(limits, keyId, kind) {
      for (const rate of limits.rates()) if (rate.keyId === keyId && rate.kind === kind) return rate.rate.others?.total(clock()) ?? 0
      return 0
    },
    lines: (log, level) =>
      log
        .records()
        .filter(record => record.level === level)
        .map(record => String(record.msg))
  }
}
