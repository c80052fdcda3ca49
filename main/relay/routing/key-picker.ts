import { keyFingerprint } from '../../security/client-key'
import type { ChannelRecord } from '../../store/records'
import type { HealthRegistry } from './health'

/** A provider key with its fingerprint (null for channels that need no key, e.g. a local Ollama). */
export interface PickedKey {
  key: string | null
  fingerprint: string | null
}

const NO_KEY: PickedKey[] = [{ key: null, fingerprint: null }]

/**
 * Orders a channel's keys for one request: rotated per channel so load spreads over the pool,
 * keys set aside (401/403/quota) left out, throttled keys after the others.
 */
export class KeyPicker {
  private readonly cursors = new Map<number, number>()
  // Fingerprints are sha256 prefixes: computed once per channel object (the route table replaces them on change).
  private readonly fingerprints = new WeakMap<ChannelRecord, string[]>()

  constructor(private readonly health: HealthRegistry) {}

  /**
   * The keys to try, in order; empty when every key is set aside. `preferred` (a fingerprint) goes
   * first when it is ready: a conversation's prompt cache lives with the key that built it.
   */
  order(channel: ChannelRecord, preferred: string | null = null): PickedKey[] {
    if (channel.keys.length === 0) return NO_KEY
    const prints = this.fingerprintsOf(channel)
    const start = (this.cursors.get(channel.id) ?? 0) % channel.keys.length
    this.cursors.set(channel.id, start + 1)
    const ready: PickedKey[] = []
    const cooling: PickedKey[] = []
    for (let i = 0; i < channel.keys.length; i++) {
      const at = (start + i) % channel.keys.length
      const picked = { key: channel.keys[at] ?? null, fingerprint: prints[at] ?? null }
      if (picked.fingerprint === null || this.health.keyDisabled(channel.id, picked.fingerprint)) continue
      if (this.health.keyCooling(channel.id, picked.fingerprint)) cooling.push(picked)
      else if (picked.fingerprint === preferred) ready.unshift(picked)
      else ready.push(picked)
    }
    return [...ready, ...cooling]
  }

  private fingerprintsOf(channel: ChannelRecord): string[] {
    let prints = this.fingerprints.get(channel)
    if (!prints) {
      prints = channel.keys.map(keyFingerprint)
      this.fingerprints.set(channel, prints)
    }
    return prints
  }
}
