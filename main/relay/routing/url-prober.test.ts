import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { createLogger } from '../../app/logger'
import { channelFields } from '../../testing/factories'
import { freePort } from '../../testing/spawn-cuttle'
import { UpstreamClient } from '../upstream-client'
import { buildRouteTable } from './route-table'
import type { RouteTableStore } from './route-table-store'
import { UrlLatency } from './url-latency'
import { UrlProber } from './url-prober'

/** A server that answers every request with 404 after `delayMs`, counting what it got. */
async function slowServer(delayMs: number): Promise<{ server: Server; url: string; hits: () => number; authorization: () => string | undefined }> {
  let hits = 0
  let authorization: string | undefined
  const server = createServer((req, res) => {
    hits += 1
    authorization = req.headers.authorization
    setTimeout(() => res.writeHead(404).end('not here'), delayMs)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, authorization: () => authorization }
}

describe('UrlProber', () => {
  let slow: Awaited<ReturnType<typeof slowServer>>
  let fast: Awaited<ReturnType<typeof slowServer>>
  let closedUrl: string
  const upstream = new UpstreamClient()

  beforeAll(async () => {
    slow = await slowServer(120)
    fast = await slowServer(0)
    closedUrl = `http://127.0.0.1:${await freePort()}`
  })
  afterAll(async () => {
    await upstream.close()
    slow.server.close()
    fast.server.close()
  })

  function prober(latency: UrlLatency, probeSec: number, baseUrls: string[]): UrlProber {
    const channel = { ...channelFields({ baseUrls, proxy: null, models: ['m'] }), id: 7, createdAt: 0, updatedAt: 0 }
    const table = buildRouteTable({ channels: [channel], groups: [], apiKeys: [], settings: { ...DEFAULT_SETTINGS, baseUrlProbeIntervalSec: probeSec } })
    const routes: RouteTableStore = { current: () => table, reload: async () => {}, refresh: async () => {}, onChange: () => () => false }
    return new UrlProber({ routes, upstream, latency, now: Date.now, logger: createLogger('silent') })
  }

  it('ranks a quiet channel\'s base URLs by probed latency, unreachable ones last, sending no key', async () => {
    const latency = new UrlLatency(Date.now)
    const urls = [closedUrl, slow.url, fast.url]
    await prober(latency, 60, urls).probeAll()
    expect(latency.order(7, urls)).toEqual([fast.url, slow.url, closedUrl])
    expect(latency.latencyOf(7, slow.url)).toBeGreaterThanOrEqual(100)
    expect(fast.authorization()).toBeUndefined()
  })

  it('does not probe when the interval setting is 0 (the default)', async () => {
    const before = fast.hits()
    const p = prober(new UrlLatency(Date.now), 0, [slow.url, fast.url])
    p.start()
    await new Promise(resolve => setTimeout(resolve, 1_300))
    await p.stop()
    expect(fast.hits()).toBe(before)
    expect(DEFAULT_SETTINGS.baseUrlProbeIntervalSec).toBe(0)
  })

  it('probes on schedule when the interval is set', async () => {
    const before = fast.hits()
    const p = prober(new UrlLatency(Date.now), 1, [slow.url, fast.url])
    p.start()
    await new Promise(resolve => setTimeout(resolve, 1_300))
    await p.stop()
    expect(fast.hits()).toBe(before + 1)
  })
})
