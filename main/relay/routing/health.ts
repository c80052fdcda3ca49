import type { FailureAction } from './failure-classifier'

/** Health of a channel or of one of its keys, as the admin API shows it. */
export interface HealthView {
  status: 'healthy' | 'cooling' | 'half-open' | 'disabled'
  reason: string | null
  consecutiveFailures: number
  /** When a cooling entry may be tried again (epoch ms). */
  cooldownUntil: number | null
}

/** Exponential backoff bounds of the cooldown. */
export interface CooldownPolicy {
  baseMs: number
  maxMs: number
}

/** Default backoff: 5 s, 10 s, 20 s … capped at 5 minutes. */
export const DEFAULT_COOLDOWN: CooldownPolicy = { baseMs: 5_000, maxMs: 300_000 }

interface Entry {
  failures: number
  until: number
  reason: string | null
  disabled: boolean
  probing: boolean
}

/**
 * Circuit state per channel and per (channel, key), in memory. A failure cools the entry with
 * exponential backoff; when the cooldown ends, exactly one request may probe it (half-open) while
 * the others still treat it as cooling; success closes it. Disabled keys stay aside until reset.
 */
export class HealthRegistry {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly now: () => number,
    private readonly policy: CooldownPolicy = DEFAULT_COOLDOWN
  ) {}

  /** Whether the channel should go to the back of the line for this request. */
  channelCooling(channelId: number): boolean {
    return this.cooling(channelKey(channelId))
  }

  /** Whether a key is set aside for good (until an admin reset). */
  keyDisabled(channelId: number, fingerprint: string): boolean {
    return this.entries.get(keyKey(channelId, fingerprint))?.disabled === true
  }

  /** Whether a key should be tried after the channel's other keys. */
  keyCooling(channelId: number, fingerprint: string): boolean {
    return this.cooling(keyKey(channelId, fingerprint))
  }

  /**
   * Called when a request is about to use the channel and key: if one of them waits for its
   * half-open probe, this request becomes that probe.
   */
  begin(channelId: number, fingerprint: string | null): void {
    this.claimProbe(channelKey(channelId))
    if (fingerprint !== null) this.claimProbe(keyKey(channelId, fingerprint))
  }

  /** The channel and key answered: close both circuits. */
  succeeded(channelId: number, fingerprint: string | null): void {
    this.entries.delete(channelKey(channelId))
    if (fingerprint !== null && !this.keyDisabled(channelId, fingerprint)) this.entries.delete(keyKey(channelId, fingerprint))
  }

  /** Applies a failure's penalty (the failure table's, or an error rule's) to the channel or the key. */
  failed(channelId: number, fingerprint: string | null, penalty: FailureAction['penalty'], reason: string, retryAfterMs: number | null): void {
    if (penalty === 'channel') this.channelFailed(channelId, reason)
    else if (fingerprint === null) this.release(channelId, fingerprint)
    else if (penalty === 'key') this.keyThrottled(channelId, fingerprint, reason, retryAfterMs)
    else if (penalty === 'disable-key') this.keyDisabledBy(channelId, fingerprint, reason)
    else this.release(channelId, fingerprint)
  }

  /** The request ended without a verdict (client left, client error): free a claimed probe. */
  release(channelId: number, fingerprint: string | null): void {
    const channel = this.entries.get(channelKey(channelId))
    if (channel) channel.probing = false
    const key = fingerprint === null ? undefined : this.entries.get(keyKey(channelId, fingerprint))
    if (key) key.probing = false
  }

  /** The channel failed (5xx, network, timeout): cool it with backoff. */
  channelFailed(channelId: number, reason: string): void {
    this.fail(channelKey(channelId), reason, null)
  }

  /** The key was throttled: cool it for `retryAfterMs` when the provider said so, else with backoff. */
  keyThrottled(channelId: number, fingerprint: string, reason: string, retryAfterMs: number | null): void {
    this.fail(keyKey(channelId, fingerprint), reason, retryAfterMs)
  }

  /** The key is invalid or out of quota: set it aside until an admin resets the channel's health. */
  keyDisabledBy(channelId: number, fingerprint: string, reason: string): void {
    const entry = this.entry(keyKey(channelId, fingerprint))
    entry.disabled = true
    entry.reason = reason
    entry.failures += 1
    entry.probing = false
  }

  /** Current state of the channel. */
  channelView(channelId: number): HealthView {
    return this.view(channelKey(channelId))
  }

  /** Current state of one key of the channel. */
  keyView(channelId: number, fingerprint: string): HealthView {
    return this.view(keyKey(channelId, fingerprint))
  }

  /** Forgets every failure of the channel and its keys (admin action). */
  reset(channelId: number): void {
    const prefix = channelKey(channelId)
    for (const key of [...this.entries.keys()]) if (key === prefix || key.startsWith(`${prefix}|`)) this.entries.delete(key)
  }

  private cooling(key: string): boolean {
    const entry = this.entries.get(key)
    if (!entry) return false
    return entry.disabled || entry.probing || this.now() < entry.until
  }

  private claimProbe(key: string): void {
    const entry = this.entries.get(key)
    if (entry && !entry.disabled && !entry.probing && this.now() >= entry.until) entry.probing = true
  }

  private fail(key: string, reason: string, fixedMs: number | null): void {
    const entry = this.entry(key)
    entry.failures += 1
    entry.reason = reason
    entry.probing = false
    const backoff = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(entry.failures - 1, 30))
    entry.until = this.now() + (fixedMs ?? backoff)
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key)
    if (!entry) {
      entry = { failures: 0, until: 0, reason: null, disabled: false, probing: false }
      this.entries.set(key, entry)
    }
    return entry
  }

  private view(key: string): HealthView {
    const entry = this.entries.get(key)
    if (!entry) return { status: 'healthy', reason: null, consecutiveFailures: 0, cooldownUntil: null }
    const now = this.now()
    const status = entry.disabled ? 'disabled' : !entry.probing && now < entry.until ? 'cooling' : 'half-open'
    return {
      status,
      reason: entry.reason,
      consecutiveFailures: entry.failures,
      cooldownUntil: entry.disabled || now >= entry.until ? null : entry.until
    }
  }
}

function channelKey(channelId: number): string {
  return `c${channelId}`
}

function keyKey(channelId: number, fingerprint: string): string {
  return `c${channelId}|${fingerprint}`
}
