import type { Logger } from '../../app/logger'
import { isConnectError, type UpstreamClient } from '../upstream-client'
import type { RouteTableStore } from './route-table-store'
import type { UrlLatency } from './url-latency'

/** Longest a probe may wait for headers: a slower URL is as good as down for ranking. */
const PROBE_TIMEOUT_MS = 5_000

/**
 * Optional periodic probes of channels with several base URLs (setting
 * `baseUrlProbeIntervalSec`, 0 = off): a GET of each base URL without credentials, timed to the
 * response headers. Any answer, even a 404, measures the network path and the provider's front
 * door, which is what ranks the URLs of one channel; a refused connection marks the URL down.
 * Real traffic keeps feeding the same averages, so probes only matter for quiet channels.
 */
export class UrlProber {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastRun = 0

  constructor(
    private readonly deps: { routes: RouteTableStore; upstream: UpstreamClient; latency: UrlLatency; now: () => number; logger: Logger }
  ) {}

  /** Checks once a second whether a round is due (the interval is a live setting). */
  start(): void {
    this.timer = setInterval(() => this.tick(), 1_000)
    this.timer.unref()
  }

  /** Stops the schedule and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  /** One round over every enabled channel that has more than one base URL. */
  async probeAll(): Promise<void> {
    const seen = new Set<number>()
    const probes: Array<Promise<void>> = []
    for (const group of this.deps.routes.current().groups.values()) {
      for (const { channel } of group.members) {
        if (seen.has(channel.id) || channel.baseUrls.length < 2) continue
        seen.add(channel.id)
        for (const url of channel.baseUrls) probes.push(this.probe(channel.id, url, channel.proxy))
      }
    }
    await Promise.all(probes)
  }

  private tick(): void {
    const seconds = this.deps.routes.current().settings.baseUrlProbeIntervalSec
    const now = this.deps.now()
    if (seconds === 0 || this.running !== null || now - this.lastRun < seconds * 1000) return
    this.lastRun = now
    this.running = this.probeAll().finally(() => {
      this.running = null
    })
  }

  private async probe(channelId: number, url: string, proxy: string | null): Promise<void> {
    const started = this.deps.now()
    try {
      const response = await this.deps.upstream.send({
        url,
        method: 'GET',
        headers: {},
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        connectTimeoutMs: PROBE_TIMEOUT_MS,
        firstByteTimeoutMs: PROBE_TIMEOUT_MS,
        idleTimeoutMs: PROBE_TIMEOUT_MS,
        proxy
      })
      this.deps.latency.observe(channelId, url, this.deps.now() - started)
      response.body.resume()
    } catch (err) {
      if (isConnectError(err)) this.deps.latency.unreachable(channelId, url)
      this.deps.logger.debug({ channelId, err: err instanceof Error ? err.message : String(err) }, 'base URL probe failed')
    }
  }
}
