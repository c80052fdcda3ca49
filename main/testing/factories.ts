import type { RequestLogEntry } from '@shared/dto/request-log'
import { createSecretBox, type SecretBox } from '../security/secret-box'
import type { ChannelFields, GroupFields } from '../store/records'
import type { UsageDelta } from '../store/repositories/usage.repository'

/** The fixed time tests stamp rows with (2023-11-14T22:13:20Z). */
export const FIXED_NOW = 1_700_000_000_000

/** A clock that always answers FIXED_NOW. */
export const fixedClock = (): number => FIXED_NOW

/** A clock tests can move: `clock.set(t)` changes what `clock()` answers. */
export function movableClock(start = FIXED_NOW): (() => number) & { set(t: number): void } {
  let now = start
  return Object.assign(() => now, {
    set(t: number) {
      now = t
    }
  })
}

/** A secret box with a fixed, test-only master secret. */
export function testSecretBox(): SecretBox {
  return createSecretBox(Buffer.alloc(32, 7))
}

/** A channel with every field set to a non-default value. */
export function channelFields(overrides: Partial<ChannelFields> = {}): ChannelFields {
  return {
    name: 'primary',
    type: 'openai-chat',
    baseUrls: ['https://api.example.com/v1', 'https://backup.example.com/v1'],
    keys: ['sk-test-aaaaaaaaaaaaaaaa', 'sk-test-bbbbbbbbbbbbbbbb'],
    models: ['gpt-4.1', 'gpt-4o-mini'],
    enabled: true,
    priority: 5,
    weight: 3,
    headers: { 'X-Org': 'acme', 'X-Trace': 'on' },
    proxy: 'http://proxy.local:8080',
    timeouts: { connectMs: 5_000, firstByteMs: 60_000, idleMs: 30_000 },
    modelMap: { 'gpt-4': 'gpt-4.1' },
    autoSync: true,
    // Azure addressing would change every URL the relay builds; its own tests set it.
    azure: null,
    antigravity: null,
    errorRules: [{ match: { status: '400', body: 'context_length_exceeded' }, action: 'retry' }],
    ...overrides
  }
}

/** A group without members unless given. */
export function groupFields(overrides: Partial<GroupFields> = {}): GroupFields {
  return {
    name: 'smart',
    mode: 'weighted',
    enabled: true,
    fallback: ['cheap', 'backup'],
    firstTokenTimeoutMs: 15_000,
    totalTimeoutMs: 120_000,
    maxAttempts: 4,
    modelPattern: null,
    members: [],
    errorRules: [{ match: { status: '5xx' }, action: 'fail' }],
    ...overrides
  }
}

/** A usage delta with all counters zero unless given. */
export function usageDelta(overrides: Partial<UsageDelta> = {}): UsageDelta {
  return {
    hour: FIXED_NOW - (FIXED_NOW % 3_600_000),
    apiKeyId: 1,
    channelId: 1,
    model: 'gpt-4.1',
    upstreamModel: 'gpt-4.1',
    requests: 0,
    failures: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cost: 0,
    unpricedRequests: 0,
    latencyMsSum: 0,
    firstTokenMsSum: 0,
    firstTokenCount: 0,
    ...overrides
  }
}

/** The i-th request log entry of a batch; times grow with i. */
export function requestLogEntry(i: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    time: FIXED_NOW + i * 1_000,
    requestId: `req-${String(i).padStart(6, '0')}`,
    apiKeyId: 7,
    clientProtocol: 'openai-chat',
    requestedModel: 'smart',
    channelId: 3,
    upstreamModel: 'gpt-4.1',
    stream: i % 2 === 0,
    status: 200,
    attempts: [
      {
        channelId: 3,
        channelName: 'primary',
        upstreamModel: 'gpt-4.1',
        keyFingerprint: '0123456789ab',
        baseUrl: 'https://api.example.com/v1',
        status: 200,
        outcome: 'ok',
        failure: null,
        reason: 'answered',
        durationMs: 120 + i
      }
    ],
    latencyMs: 150 + i,
    firstTokenMs: 40 + i,
    inputTokens: 10 * i,
    outputTokens: 20 * i,
    cacheReadTokens: i,
    cacheWriteTokens: 2 * i,
    cost: i / 1000,
    error: null,
    requestBody: `{"i":${i}}`,
    responseBody: `{"ok":${i}}`,
    ...overrides
  }
}
