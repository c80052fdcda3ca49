import { request, type IncomingMessage } from 'node:http'
import type { ChannelDto } from '@shared/dto/channel'
import { createLogger } from '../app/logger'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { FAULTS, startFaultUpstream, type FaultUpstream } from './fault-upstream'
import { createLeakCheck, type LeakCheck } from './leak-check'

/** The channel timeouts of the fault suite: small, so stalls are cut quickly. */
export const FIRST_BYTE_MS = 400
export const IDLE_MS = 400

/** Client protocols the suite speaks, and the channel types behind them. */
export type ClientProtocol = 'openai-chat' | 'anthropic'
export type ChannelWire = 'oa' | 'an'

/** The provider key of each channel: long and unusual, so any occurrence in a log line or an answer is a leak. */
export const PROVIDER_KEYS: Readonly<Record<ChannelWire, string>> = {
  oa: 'sk-fault-oa-3e8b1d7c5a9f2046',
  an: 'sk-ant-fault-6c2a9f4e1b7d3058'
}

/** A relay with one faulty channel per wire: `oa-<fault>` models go to an OpenAI channel, `an-<fault>` to an Anthropic one. */
export interface FaultRig {
  cuttle: TestCore
  upstream: FaultUpstream
  clientKey: string
  channels: ChannelDto[]
  /** The relay's log (at trace level) and every answer the helpers below received, scanned for PROVIDER_KEYS. */
  leaks: LeakCheck
  /** Scans what the admin UI shows after the faults (channels with their keys' health, request logs) for PROVIDER_KEYS. */
  scanAdmin(): Promise<void>
  /** Clears cooldowns, so one fault does not change how the next request is routed. */
  resetHealth(): Promise<void>
  /** Waits until no relayed request is in flight (streams settle after the client saw their end). */
  settled(): Promise<void>
  /** Requests counted by the live counters, and how many failed. */
  live(): { requests: number; errors: number }
  /** Flushes, then sums what the database holds. */
  stored(): Promise<{ requests: number; failures: number; logs: number }>
  stop(): Promise<void>
}

/** Starts the relay and the faulty upstream; `timeouts` overrides the channels' small defaults. */
export async function startFaultRig(timeouts: { firstByteMs?: number; idleMs?: number } = {}): Promise<FaultRig> {
  const db: TestDatabase = await createTestDatabase('sqlite')
  const upstream = await startFaultUpstream()
  const leaks = createLeakCheck(Object.values(PROVIDER_KEYS))
  const cuttle = await startTestCore(db, {}, { logger: createLogger('trace', leaks.destination) })
  const channels: ChannelDto[] = []
  for (const [wire, type] of [
    ['oa', 'openai-chat'],
    ['an', 'anthropic']
  ] as const) {
    const created = await cuttle.admin('POST', '/channels', {
      name: `faulty-${wire}`,
      type,
      baseUrls: [upstream.url],
      keys: [PROVIDER_KEYS[wire]],
      models: FAULTS.map(f => `${wire}-${f}`),
      timeouts: { connectMs: 1000, firstByteMs: timeouts.firstByteMs ?? FIRST_BYTE_MS, idleMs: timeouts.idleMs ?? IDLE_MS }
    })
    if (created.status !== 201 && created.status !== 200) throw new Error(`channel not created: ${JSON.stringify(created.body)}`)
    channels.push(created.body as ChannelDto)
  }
  const clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'faults' })).body as { key: string }).key
  const { core } = cuttle
  return {
    cuttle,
    upstream,
    clientKey,
    channels,
    leaks,
    async scanAdmin() {
      await core.flusher.flush()
      for (const path of ['/channels', ...channels.map(c => `/channels/${c.id}`), '/logs?limit=100']) {
        const read = await cuttle.admin('GET', path)
        leaks.scan(`admin ${path}`, `HTTP ${read.status}`, JSON.stringify(read.body))
      }
    },
    async resetHealth() {
      for (const c of channels) await cuttle.admin('POST', `/channels/${c.id}/health/reset`)
    },
    async settled() {
      const until = Date.now() + 5000
      while ((core.live.snapshot().inFlight > 0 || core.http.inFlight > 0) && Date.now() < until) await new Promise(r => setTimeout(r, 10))
    },
    live() {
      const s = core.live.snapshot()
      return { requests: s.requestsToday, errors: s.errorsToday }
    },
    async stored() {
      await core.flusher.flush()
      const rows = await core.repos.usage.since(0)
      return {
        requests: rows.reduce((n, r) => n + r.requests, 0),
        failures: rows.reduce((n, r) => n + r.failures, 0),
        logs: await core.repos.requestLogs.count()
      }
    },
    async stop() {
      await cuttle.stop()
      await upstream.close()
      await db.destroy()
    }
  }
}

/** A relayed request as the client saw it. */
export interface ClientResult {
  status: number
  contentType: string
  /** Parsed JSON body (non-stream or error), else null. */
  json: unknown
  /** SSE events (stream answers). */
  events: { event: string | null; data: string }[]
  /** Raw text of the answer. */
  text: string
  elapsedMs: number
}

/** The path and body a client of `protocol` sends. */
export function clientRequest(protocol: ClientProtocol, model: string, stream: boolean): { path: string; body: Record<string, unknown> } {
  const messages = [{ role: 'user', content: 'hi' }]
  return protocol === 'anthropic'
    ? { path: '/v1/messages', body: { model, max_tokens: 64, messages, stream } }
    : { path: '/v1/chat/completions', body: { model, messages, stream } }
}

/** Sends one request the way an SDK would and reads the whole answer. */
export async function send(rig: FaultRig, protocol: ClientProtocol, model: string, stream: boolean): Promise<ClientResult> {
  const { path, body } = clientRequest(protocol, model, stream)
  const started = Date.now()
  const auth: Record<string, string> = protocol === 'anthropic' ? { 'x-api-key': rig.clientKey, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${rig.clientKey}` }
  const res = await fetch(`${rig.cuttle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) })
  const text = await res.text()
  rig.leaks.scan(`${protocol} ${model}${stream ? ' (stream)' : ''}`, statusAndHeaders(res.status, res.statusText, [...res.headers]), text)
  const contentType = res.headers.get('content-type') ?? ''
  let json: unknown = null
  if (contentType.startsWith('application/json')) json = parseOrNull(text)
  return { status: res.status, contentType, json, events: contentType.startsWith('text/event-stream') ? sseEvents(text) : [], text, elapsedMs: Date.now() - started }
}

/** The head of an answer as the client saw it. */
function statusAndHeaders(status: number, statusText: string, headers: Iterable<[string, string | string[] | undefined]>): string {
  const lines = [`HTTP ${status} ${statusText}`]
  for (const [name, value] of headers) lines.push(`${name}: ${String(value)}`)
  return lines.join('\n')
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

/** Splits an SSE text into events (comments dropped). */
export function sseEvents(text: string): { event: string | null; data: string }[] {
  const out: { event: string | null; data: string }[] = []
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | null = null
    let data: string | null = null
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data = (data === null ? '' : `${data}\n`) + line.slice(5).trimStart()
    }
    if (data !== null) out.push({ event, data })
  }
  return out
}

/**
 * Opens a stream with node:http, so the test decides when (and whether) to read or to hang up. Only the head
 * is scanned for keys here: reading the body would change the pacing the test is about.
 */
export function openRawStream(rig: FaultRig, model: string): Promise<{ res: IncomingMessage; destroy(): void }> {
  const { path, body } = clientRequest('openai-chat', model, true)
  const payload = JSON.stringify(body)
  const url = new URL(rig.cuttle.url)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'POST', headers: { authorization: `Bearer ${rig.clientKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      res => {
        rig.leaks.scan(`raw stream ${model}`, statusAndHeaders(res.statusCode ?? 0, res.statusMessage ?? '', Object.entries(res.headers)))
        resolve({ res, destroy: () => req.destroy() })
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}
