/**
 * PERFORMANCE ACCEPTANCE (issue 6): one million request log rows and 30 days of hourly usage in
 * SQLite; filtered log pages, a second page through the cursor and the 30-day summary must each
 * answer in under 200 ms (median of several runs). Prints what it measured. About 20-30 s, most
 * of it generating the rows.
 */
import type { Database } from 'better-sqlite3'
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogCursor, RequestLogItem } from '@shared/dto/log-query'
import { fixedClock, testSecretBox } from '../testing/factories'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { migrate } from '../store/migrate'
import { createRepositories, type Repositories } from '../store/repositories'
import type { LogFilter } from '../store/repositories/request-log.page'
import { DAY_MS, HOUR_MS, resolveWindow } from './stats-window'
import { UsageAnalytics } from './usage-analytics'
import { namesFrom } from './usage-labels'

const BUDGET_MS = 200
const RUNS = 7
const LOG_ROWS = 1_000_000
const NOW = 1_700_000_000_000
const SPAN = 30 * DAY_MS
const MODELS = 20
const CHANNELS = 10
const KEYS = 20

/** A small deterministic generator (the same data on every run). */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) & 0x7fff_ffff
    return state / 0x8000_0000
  }
}

/** Runs `fn` RUNS times; the median and every time, in ms. */
async function measure<T>(fn: () => Promise<T>): Promise<{ median: number; runs: number[]; result: T }> {
  const runs: number[] = []
  const once = async (): Promise<T> => {
    const start = performance.now()
    const result = await fn()
    runs.push(performance.now() - start)
    return result
  }
  const result = await once()
  for (let i = 1; i < RUNS; i++) await once()
  const sorted = [...runs].sort((a, b) => a - b)
  return { median: sorted[Math.floor(RUNS / 2)] ?? Infinity, runs, result }
}

/** Rows in one transaction through one prepared statement on the pool's connection: ~10 s for a million. */
async function bulkInsert(knex: Knex, sql: string, rows: (emit: (values: unknown[]) => void) => void): Promise<void> {
  const connection = (await knex.client.acquireConnection()) as Database
  try {
    const insert = connection.prepare(sql)
    connection.transaction(() => rows(values => insert.run(values)))()
  } finally {
    await knex.client.releaseConnection(connection)
  }
}

/** 30 days of traffic, a little out of time order as several flushes would leave it; ~5 % errors. */
async function insertLogs(knex: Knex): Promise<void> {
  const next = random(42)
  const attempts = JSON.stringify([
    { channelId: 1, channelName: 'primary', upstreamModel: 'up-01', keyFingerprint: '0123456789ab', baseUrl: 'https://api.example.com/v1', status: 200, outcome: 'ok', failure: null, reason: 'answered', durationMs: 420 }
  ])
  const columns = 'time, request_id, api_key_id, client_protocol, requested_model, channel_id, upstream_model, stream, status, attempts, latency_ms, first_token_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost, error'
  await bulkInsert(knex, `INSERT INTO request_logs (${columns}) VALUES (${columns.split(',').map(() => '?').join(', ')})`, emit => {
    for (let i = 0; i < LOG_ROWS; i++) {
      // Popular models get most traffic: squaring a uniform number skews it towards model 0.
      const model = Math.floor(next() ** 2 * MODELS)
      const failed = next() < 0.05
      const status = failed ? [429, 500, 502, 400][Math.floor(next() * 4)] : 200
      const time = NOW - SPAN + Math.floor((i / LOG_ROWS) * SPAN) + Math.floor(next() * 5_000)
      const tokens = Math.floor(next() * 4_000)
      emit([time, `req-${i}`, 1 + Math.floor(next() * KEYS), 'openai-chat', `model-${model}`, 1 + Math.floor(next() * CHANNELS), `up-${model}`, i % 3 === 0 ? 1 : 0, status, attempts, 200 + tokens, failed ? null : 80, tokens, tokens >> 2, 0, 0, tokens / 1e6, failed ? `upstream ${status}` : null])
    }
  })
}

/** Every key × channel pair with one model each, every hour of 30 days: 144 000 rows. */
async function insertUsage(knex: Knex, hours: number[]): Promise<void> {
  await bulkInsert(
    knex,
    'INSERT INTO usage_hourly (hour, api_key_id, channel_id, model, upstream_model, requests, failures, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost, unpriced_requests, latency_ms_sum, first_token_ms_sum, first_token_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    emit => {
      for (const hour of hours) {
        for (let key = 1; key <= KEYS; key++) {
          for (let channel = 1; channel <= CHANNELS; channel++) {
            const model = (key * 7 + channel * 3 + hour / HOUR_MS) % MODELS
            emit([hour, key, channel, `model-${model}`, `up-${model}`, 3, 1, 3_000, 600, 100, 0, 0.125, 0, 1_500, 300, 2])
          }
        }
      }
    }
  )
}

describe('PERFORMANCE ACCEPTANCE (issue 6): 1 000 000 log rows and 30 days of usage on SQLite', () => {
  let db: TestDatabase
  let repos: Repositories
  const report: string[] = []
  const hours = Array.from({ length: 30 * 24 }, (_, i) => Math.floor(NOW / HOUR_MS) * HOUR_MS - i * HOUR_MS)

  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
    await migrate(db.knex, null, fixedClock)
    repos = createRepositories(db.knex, testSecretBox(), fixedClock)
    const start = performance.now()
    await insertLogs(db.knex)
    const logsMs = performance.now() - start
    await insertUsage(db.knex, hours)
    report.push(`generated ${LOG_ROWS} log rows in ${(logsMs / 1000).toFixed(1)} s, ${hours.length * KEYS * CHANNELS} usage rows in ${((performance.now() - start - logsMs) / 1000).toFixed(1)} s`)
  }, 120_000)

  afterAll(async () => {
    console.log(`PERFORMANCE ACCEPTANCE (issue 6), median of ${RUNS} runs, budget ${BUDGET_MS} ms:\n  ${report.join('\n  ')}`)
    await db?.destroy()
  })

  async function timedPage(label: string, filter: LogFilter, cursor: LogCursor | null = null): Promise<RequestLogItem[]> {
    const { median, runs, result } = await measure(() => repos.requestLogs.page(filter, cursor, 50))
    report.push(`${label.padEnd(50)} ${median.toFixed(2).padStart(7)} ms  (runs ${runs.map(r => r.toFixed(1)).join(', ')})`)
    expect(result.items).toHaveLength(50)
    expect(median).toBeLessThan(BUDGET_MS)
    return result.items
  }

  /** Page one, then page two through its cursor. */
  async function twoPages(label: string, filter: LogFilter, check: (item: RequestLogItem) => boolean): Promise<void> {
    const first = await timedPage(label, filter)
    const last = first[first.length - 1]
    if (!last) throw new Error('empty page')
    const second = await timedPage(`${label}, page 2 (cursor)`, filter, { time: last.time, id: last.id })
    const seen = [...first, ...second]
    expect(seen.every(check)).toBe(true)
    // Newest first and no row twice across the two pages.
    expect(seen.map(i => [i.time, i.id])).toEqual([...seen].sort((a, b) => b.time - a.time || b.id - a.id).map(i => [i.time, i.id]))
    expect(new Set(seen.map(i => i.id)).size).toBe(100)
  }

  it('answers filtered log pages and their second page in under 200 ms', async () => {
    await twoPages('logs: no filter', {}, () => true)
    await twoPages('logs: channel 7', { channelId: 7 }, i => i.channelId === 7)
    await twoPages('logs: model-5 and errors', { model: 'model-5', status: 'error' }, i => i.requestedModel === 'model-5' && i.status >= 400)
    const from = NOW - 10 * DAY_MS
    const to = from + DAY_MS
    await twoPages('logs: key 11, one day 10 days ago', { apiKeyId: 11, from, to }, i => i.apiKeyId === 11 && i.time >= from && i.time < to)
    await twoPages('logs: errors', { status: 'error' }, i => i.status >= 400)
    await twoPages('logs: upstream up-17', { upstreamModel: 'up-17' }, i => i.upstreamModel === 'up-17')
  }, 60_000)

  it('answers the 30-day summary in under 200 ms', async () => {
    const analytics = new UsageAnalytics(db.knex, namesFrom(repos))
    const window = resolveWindow({ range: '30d', tz: 120 }, NOW)
    const inWindow = hours.filter(h => h >= window.from && h < window.to).length
    const { median, runs, result } = await measure(() => analytics.summary(window))
    report.push(`stats/summary, 30 days (${inWindow * KEYS * CHANNELS} rows) ${median.toFixed(2).padStart(7)} ms  (runs ${runs.map(r => r.toFixed(1)).join(', ')})`)
    expect(result).toMatchObject({ requests: inWindow * KEYS * CHANNELS * 3, failures: inWindow * KEYS * CHANNELS, cost: inWindow * KEYS * CHANNELS * 0.125 })
    expect(median).toBeLessThan(BUDGET_MS)
    // Not part of the acceptance figure; printed for reference.
    const series = await measure(() => analytics.series(window, { bucket: 'day', groupBy: 'group', metric: 'requests', limit: 10 }))
    report.push(`(stats/series, 30 days by day and group   ${series.median.toFixed(2).padStart(7)} ms)`)
    const top = await measure(() => analytics.top(window, 'channel', 'cost', 10))
    report.push(`(stats/top, 30 days by channel            ${top.median.toFixed(2).padStart(7)} ms)`)
  }, 60_000)
})
