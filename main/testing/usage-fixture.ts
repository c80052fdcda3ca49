import type { Repositories } from '../store/repositories'
import type { UsageDelta } from '../store/repositories/usage.repository'
import { channelFields, usageDelta } from './factories'

/** An ISO 8601 time as epoch ms (the fixture and its expectations are written in UTC wall-clock times). */
export const at = (iso: string): number => Date.parse(iso)

/** "Now" of the analytics tests: 2023-11-14T22:13:20Z (Nov 15 00:13 at UTC+2, Nov 14 17:13 at UTC-5). */
export const ANALYTICS_NOW = 1_700_000_000_000

/** Channel 2's name needs quoting in CSV. */
export const CHANNEL_NAMES = ['primary', 'backup, "eu"'] as const
export const KEY_NAMES = ['laptop', 'ci'] as const
/** A group name that needs quoting in CSV (model names may hold commas and quotes, not spaces). */
export const ODD_GROUP = 'odd,"name"'

type Row = [iso: string, key: number, channel: number, group: string, upstream: string, counters: Partial<UsageDelta>]

/**
 * Hand-made usage rows; the tests' expected numbers are sums of these. Channel 0 is "no channel",
 * key 3 was deleted. R8 starts after the current hour (22:00Z), so ranges leave it out.
 */
const ROWS: Row[] = [
  ['2023-11-01T10:00:00Z', 1, 1, 'smart', 'gpt-4.1', { requests: 7, inputTokens: 700, outputTokens: 70, cost: 0.75, latencyMsSum: 1400, firstTokenMsSum: 700, firstTokenCount: 7 }], // R0
  ['2023-11-13T21:00:00Z', 1, 1, 'smart', 'gpt-4.1', { requests: 4, failures: 1, inputTokens: 1000, outputTokens: 200, cacheReadTokens: 50, cacheWriteTokens: 10, cost: 0.5, latencyMsSum: 2000, firstTokenMsSum: 400, firstTokenCount: 2 }], // R1
  ['2023-11-13T22:00:00Z', 2, 2, 'smart', 'claude-x', { requests: 2, inputTokens: 300, outputTokens: 100, cost: 0.25, latencyMsSum: 900 }], // R2
  ['2023-11-14T03:00:00Z', 1, 2, ODD_GROUP, 'claude-x', { requests: 1, failures: 1, latencyMsSum: 100 }], // R3
  ['2023-11-14T04:00:00Z', 1, 0, 'cheap', '', { requests: 3, failures: 3, latencyMsSum: 30 }], // R4
  ['2023-11-14T05:00:00Z', 2, 1, 'smart', 'gpt-4.1', { requests: 5, inputTokens: 5000, outputTokens: 1000, cost: 1.125, latencyMsSum: 5000, firstTokenMsSum: 1500, firstTokenCount: 5 }], // R5
  ['2023-11-14T21:00:00Z', 3, 1, 'cheap', 'mystery', { requests: 2, inputTokens: 100, outputTokens: 100, unpricedRequests: 2, latencyMsSum: 600 }], // R6
  ['2023-11-14T22:00:00Z', 1, 1, 'smart', 'gpt-4.1', { requests: 10, failures: 2, inputTokens: 2000, outputTokens: 500, cacheReadTokens: 1000, cost: 2.5, latencyMsSum: 12000, firstTokenMsSum: 3000, firstTokenCount: 8 }], // R7
  ['2023-11-14T22:00:00Z', 1, 2, 'smart', 'claude-x', { requests: 6, inputTokens: 600, outputTokens: 60, cacheWriteTokens: 300, cost: 0.375, latencyMsSum: 1800, firstTokenMsSum: 600, firstTokenCount: 6 }], // R7b
  ['2023-11-14T23:00:00Z', 2, 2, 'cheap', 'claude-x', { requests: 1, inputTokens: 10, outputTokens: 10, cost: 0.015625, latencyMsSum: 250, firstTokenMsSum: 100, firstTokenCount: 1 }] // R8
]

/** The fixture rows as usage deltas. */
export function fixtureUsage(): UsageDelta[] {
  return ROWS.map(([iso, apiKeyId, channelId, model, upstreamModel, counters]) =>
    usageDelta({ hour: at(iso), apiKeyId, channelId, model, upstreamModel, ...counters })
  )
}

/** Creates channels 1-2 and keys 1-2 (a fresh database numbers them so) and writes the rows. */
export async function seedUsageFixture(repos: Repositories): Promise<void> {
  for (const name of CHANNEL_NAMES) {
    const channel = await repos.channels.create(channelFields({ name }))
    if (channel.id !== CHANNEL_NAMES.indexOf(name) + 1) throw new Error(`channel ${name} got id ${channel.id}`)
  }
  for (const name of KEY_NAMES) {
    const key = await repos.apiKeys.create({
      name,
      keyHash: `hash-of-${name}`.padEnd(64, '0'),
      keyPrefix: 'ck-test',
      allowedGroups: null,
      limits: {},
      expiresAt: null,
      enabled: true
    })
    if (key.id !== KEY_NAMES.indexOf(name) + 1) throw new Error(`key ${name} got id ${key.id}`)
  }
  await repos.usage.add(fixtureUsage())
}
