import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { ModelSyncResult } from '@shared/dto/model-sync'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { buildRouteTable, type RouteTable } from '../relay/routing/route-table'
import type { ChannelRecord } from '../store/records'
import { channelFields, FIXED_NOW, movableClock } from '../testing/factories'
import { ModelSyncScheduler } from './model-sync-scheduler'

const HOUR = 3_600_000

const channel = (id: number, enabled: boolean, autoSync: boolean): ChannelRecord => ({ ...channelFields({ name: `c${id}`, enabled, autoSync }), id, createdAt: 0, updatedAt: 0 })
const CHANNELS = [channel(1, true, true), channel(2, false, true), channel(3, true, false), channel(4, true, true), channel(5, true, true)]

const result = (added: string[]): ModelSyncResult => ({ models: added, added, missing: [], applied: true, groupsChanged: [] })

/** A scheduler over fakes: channel 4 fails, the others add one model; log lines and sync calls are kept. */
function harness(hours: { value: number }, sync?: (id: number, signal: AbortSignal | undefined) => Promise<ModelSyncResult | null>) {
  const clock = movableClock(FIXED_NOW)
  const calls: Array<{ id: number; apply: boolean }> = []
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>)
      done()
    }
  })
  const table = (): RouteTable => ({
    ...buildRouteTable({ channels: [], groups: [], apiKeys: [], settings: DEFAULT_SETTINGS }),
    settings: { ...DEFAULT_SETTINGS, modelSyncIntervalHours: hours.value }
  })
  const scheduler = new ModelSyncScheduler({
    sync: {
      sync: async (id, apply, signal) => {
        calls.push({ id, apply })
        if (sync) return sync(id, signal)
        if (id === 4) throw new Error('Channel "c4": listing models failed: HTTP 500 from GET http://x/v1/models')
        return result([`m-${id}`])
      }
    },
    channels: { list: async () => CHANNELS },
    routes: { current: table },
    logger: pino({ level: 'info' }, sink),
    now: clock,
    tickMs: 10
  })
  return { scheduler, clock, calls, lines }
}

const settle = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

describe('ModelSyncScheduler', () => {
  it('syncs and applies each enabled channel with autoSync in turn; a failure is a warning and the round goes on', async () => {
    const { scheduler, calls, lines } = harness({ value: 24 })
    await scheduler.syncAll()
    expect(calls).toEqual([
      { id: 1, apply: true },
      { id: 4, apply: true },
      { id: 5, apply: true }
    ])
    expect(lines.map(l => [l.level, l.msg, l.channel, l.err ?? l.added])).toEqual([
      [30, 'models synced', 'c1', ['m-1']],
      [40, 'model sync failed', 'c4', 'Channel "c4": listing models failed: HTTP 500 from GET http://x/v1/models'],
      [30, 'models synced', 'c5', ['m-5']]
    ])
  })

  it('runs a round at the first check, then once the interval has passed, and never when it is 0', async () => {
    const hours = { value: 1 }
    const { scheduler, clock, calls } = harness(hours)
    scheduler.start()
    try {
      await settle(60)
      expect(calls).toHaveLength(3)
      clock.set(FIXED_NOW + HOUR - 1)
      await settle(60)
      expect(calls).toHaveLength(3)
      clock.set(FIXED_NOW + HOUR)
      await settle(60)
      expect(calls).toHaveLength(6)
      hours.value = 0
      clock.set(FIXED_NOW + 10 * HOUR)
      await settle(60)
      expect(calls).toHaveLength(6)
      // Fractions of an hour are allowed: 0.5 h after the last round.
      hours.value = 0.5
      clock.set(FIXED_NOW + HOUR + HOUR / 2)
      await settle(60)
      expect(calls).toHaveLength(9)
    } finally {
      await scheduler.stop()
    }
  })

  it('stop aborts the provider call in flight, waits for the round and syncs no further channel, warning nothing', async () => {
    const seen: Array<AbortSignal | undefined> = []
    const { scheduler, calls, lines } = harness({ value: 24 }, (_id, signal) => {
      seen.push(signal)
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    })
    scheduler.start()
    await settle(60)
    expect(calls).toEqual([{ id: 1, apply: true }])
    await scheduler.stop()
    expect(seen[0]?.aborted).toBe(true)
    await settle(40)
    expect(calls).toHaveLength(1)
    expect(lines).toEqual([])
  })
})
