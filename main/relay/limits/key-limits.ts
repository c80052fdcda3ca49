import type { ApiKeyLimits } from '@shared/dto/api-key'
import { relayErrors, type RelayError } from '../relay-errors'
import { MinuteWindow } from './minute-window'

/** What the limiter reads of a client key (the route table's key, rebuilt on every admin change). */
export interface LimitedKey {
  id: number
  name: string
  limits: ApiKeyLimits
}

/** Why a key was refused; `retryAfterSec` is null when waiting a minute would not help (the budget). */
export type LimitRefusal =
  | { limit: 'rpm' | 'tpm'; value: number; retryAfterSec: number }
  | { limit: 'monthlyBudgetUsd'; value: number; retryAfterSec: null }

/** Which of a key's per-minute rates: requests (rpm) or tokens (tpm). */
export type RateKind = 'requests' | 'tokens'

/** One rate of one key over the sliding minute. */
export interface RateWindow {
  /** What this instance counted. */
  readonly own: MinuteWindow
  /** What the other instances counted, as the rate sync last read it; null while rates are not shared. */
  others: MinuteWindow | null
}

/** The per-minute windows of one key; a window exists only while its limit is set. */
interface KeyWindows {
  requests: RateWindow | null
  tokens: RateWindow | null
  lastUsed: number
}

/** A key unused this long has empty windows, so dropping them loses nothing. */
const IDLE_MS = 60_000

/** Start of the UTC calendar month `time` falls in. */
export function monthStartUtc(time: number): number {
  const date = new Date(time)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)
}

function nextMonthStartUtc(time: number): number {
  const date = new Date(time)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
}

/**
 * The client keys' limits, checked in memory on the hot path: requests and tokens per minute in
 * sliding windows, and the USD spent this UTC month. The windows count this instance's requests,
 * plus the other instances' when a RateSync fills them in (through Redis or the database); the
 * month's spend is merged from the database now and then (SpendSync), so instances sharing one
 * database converge on it. Time is always passed in, so tests drive it.
 */
export class KeyLimits {
  private readonly windows = new Map<number, KeyWindows>()
  private readonly spent = new Map<number, number>()
  private monthStart = -Infinity
  private monthEnd = -Infinity
  private newRateListener: (() => void) | null = null

  /**
   * Whether a request of `key` may go ahead at `now`; an admitted request counts toward rpm at
   * once, so concurrent requests cannot all slip under the limit.
   */
  admit(key: LimitedKey, now: number): LimitRefusal | null {
    const { rpm, tpm, monthlyBudgetUsd } = key.limits
    if (rpm === undefined && tpm === undefined && monthlyBudgetUsd === undefined) return null
    if (monthlyBudgetUsd !== undefined && this.spentThisMonth(key.id, now) >= monthlyBudgetUsd) {
      return { limit: 'monthlyBudgetUsd', value: monthlyBudgetUsd, retryAfterSec: null }
    }
    if (rpm === undefined && tpm === undefined) return null
    const windows = this.windowsOf(key.id, now)
    if (tpm !== undefined) {
      // Made before this instance counts any tokens, so the sync reads the other instances' into it.
      windows.tokens ??= this.newRate()
      const wait = windows.tokens.own.secondsUntilBelow(now, tpm, windows.tokens.others)
      if (wait > 0) return { limit: 'tpm', value: tpm, retryAfterSec: wait }
    }
    if (rpm !== undefined) {
      windows.requests ??= this.newRate()
      const wait = windows.requests.own.secondsUntilBelow(now, rpm, windows.requests.others)
      if (wait > 0) return { limit: 'rpm', value: rpm, retryAfterSec: wait }
      windows.requests.own.add(now, 1)
    }
    return null
  }

  /**
   * Adds a finished request: its tokens at `now` (when they were used) and its cost to the month
   * it started in, the hour the stats put it in, so the merge with the database's sums lines up.
   */
  used(key: LimitedKey, startedAt: number, now: number, tokens: number, cost: number | null): void {
    if (key.limits.tpm !== undefined && tokens > 0) {
      const windows = this.windowsOf(key.id, now)
      windows.tokens ??= this.newRate()
      windows.tokens.own.add(now, tokens)
    }
    // Spend is kept for every key, so a budget set later starts from the month's true spend.
    if (cost !== null && cost > 0 && this.inCurrentMonth(startedAt)) this.spent.set(key.id, (this.spent.get(key.id) ?? 0) + cost)
  }

  /** USD `keyId` spent in the UTC month of `now`, as far as this instance knows. */
  spentThisMonth(keyId: number, now: number): number {
    return this.inCurrentMonth(now) ? (this.spent.get(keyId) ?? 0) : 0
  }

  /**
   * Merges the month's spend per key as the database sums it (every instance's flushed usage).
   * The larger value wins: the database lacks what this instance has not flushed yet, this
   * instance lacks what the others spent.
   */
  mergeSpend(monthStart: number, totals: ReadonlyMap<number, number>): void {
    // A sum read just before the month turned over must not be taken for the new month's.
    if (!this.inCurrentMonth(monthStart)) return
    for (const [keyId, cost] of totals) {
      if (cost > (this.spent.get(keyId) ?? 0)) this.spent.set(keyId, cost)
    }
  }

  /** Drops the windows of keys idle for a minute, which are empty anyway: memory follows the active keys. */
  evictIdle(now: number): void {
    for (const [keyId, windows] of this.windows) {
      if (now - windows.lastUsed >= IDLE_MS) this.windows.delete(keyId)
    }
  }

  /** Every rate window in memory, for the rate sync to push this instance's counts from and read the others' into. */
  *rates(): Generator<{ keyId: number; kind: RateKind; rate: RateWindow }> {
    for (const [keyId, windows] of this.windows) {
      if (windows.requests) yield { keyId, kind: 'requests', rate: windows.requests }
      if (windows.tokens) yield { keyId, kind: 'tokens', rate: windows.tokens }
    }
  }

  /**
   * Calls `listener` whenever a key gets a new rate window: the rate sync then reads the other
   * instances' counts for it at once rather than at its next interval.
   */
  onNewRate(listener: () => void): void {
    this.newRateListener = listener
  }

  /** Drops the other instances' counts: with the shared store away, each instance allows the full rate on its own. */
  forgetOthers(): void {
    for (const { rate } of this.rates()) rate.others = null
  }

  /** Keys with windows in memory. */
  get trackedKeys(): number {
    return this.windows.size
  }

  private newRate(): RateWindow {
    this.newRateListener?.()
    return { own: new MinuteWindow(), others: null }
  }

  private windowsOf(keyId: number, now: number): KeyWindows {
    let windows = this.windows.get(keyId)
    if (!windows) {
      windows = { requests: null, tokens: null, lastUsed: now }
      this.windows.set(keyId, windows)
    }
    windows.lastUsed = now
    return windows
  }

  /** Whether `time` is in the current month, moving to a later month (spend starts over) when it is in one. */
  private inCurrentMonth(time: number): boolean {
    if (time >= this.monthEnd) {
      this.monthStart = monthStartUtc(time)
      this.monthEnd = nextMonthStartUtc(time)
      this.spent.clear()
    }
    return time >= this.monthStart
  }
}

/** The 429 a refused key gets, in words naming the limit, and its `retry-after` when waiting helps. */
export function refusalError(keyName: string, refusal: LimitRefusal): { error: RelayError; headers: Record<string, string> } {
  if (refusal.limit === 'monthlyBudgetUsd') return { error: relayErrors.overBudget(keyName, refusal.value), headers: {} }
  const error = refusal.limit === 'rpm' ? relayErrors.overRequestRate(keyName, refusal.value, refusal.retryAfterSec) : relayErrors.overTokenRate(keyName, refusal.value, refusal.retryAfterSec)
  return { error, headers: { 'retry-after': String(refusal.retryAfterSec) } }
}
