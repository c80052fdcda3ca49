/** Weight of the newest sample in the moving average: recent traffic matters, one spike does not. */
const ALPHA = 0.3
/** How long a base URL that refused a connection goes behind the others. */
const DOWN_MS = 30_000

interface UrlStats {
  ewmaMs: number | null
  downUntil: number
}

/**
 * Picks among a channel's base URLs by latency measured on real traffic (time to the response
 * headers, as an exponentially weighted moving average). URLs not measured yet come first so
 * they get measured; a URL that failed to connect goes last for a while.
 */
export class UrlLatency {
  private readonly stats = new Map<string, UrlStats>()

  constructor(private readonly now: () => number) {}

  /** The channel's base URLs, best first. */
  order(channelId: number, urls: readonly string[]): string[] {
    if (urls.length <= 1) return [...urls]
    const now = this.now()
    const rank = (url: string): [number, number] => {
      const s = this.stats.get(key(channelId, url))
      return [s && s.downUntil > now ? 1 : 0, s?.ewmaMs ?? -1]
    }
    return [...urls].sort((a, b) => {
      const [downA, msA] = rank(a)
      const [downB, msB] = rank(b)
      return downA - downB || msA - msB
    })
  }

  /** A request reached the URL and got headers back after `ms`. */
  observe(channelId: number, url: string, ms: number): void {
    const s = this.entry(channelId, url)
    s.ewmaMs = s.ewmaMs === null ? ms : ALPHA * ms + (1 - ALPHA) * s.ewmaMs
    s.downUntil = 0
  }

  /** The URL could not be reached. */
  unreachable(channelId: number, url: string): void {
    this.entry(channelId, url).downUntil = this.now() + DOWN_MS
  }

  /** Measured latency of a URL, or null (for the admin API). */
  latencyOf(channelId: number, url: string): number | null {
    const ms = this.stats.get(key(channelId, url))?.ewmaMs
    return ms === undefined || ms === null ? null : Math.round(ms)
  }

  private entry(channelId: number, url: string): UrlStats {
    let s = this.stats.get(key(channelId, url))
    if (!s) {
      s = { ewmaMs: null, downUntil: 0 }
      this.stats.set(key(channelId, url), s)
    }
    return s
  }
}

function key(channelId: number, url: string): string {
  return `${channelId}|${url}`
}
