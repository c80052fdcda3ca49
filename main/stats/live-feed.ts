/** Where one subscriber's messages go (an SSE response in practice). */
export interface LiveFeedSink {
  /** A new value, as JSON. */
  send(json: string): void
  /** Nothing changed for a while; lets proxies and the client know the line is alive. */
  keepalive(): void
  /** The feed is closing (shutdown); end the response. */
  close(): void
}

/** Cadence of a feed; tests shorten it. */
export interface LiveFeedTiming {
  /** Values are compared (and sent if changed) at most this often. */
  intervalMs: number
  /** A keepalive goes out after this long without any message. */
  keepaliveMs: number
}

const DEFAULT_TIMING: LiveFeedTiming = { intervalMs: 1000, keepaliveMs: 15_000 }

interface Subscription {
  sink: LiveFeedSink
  last: string
  quietMs: number
  timer: NodeJS.Timeout
}

/**
 * Pushes a value to subscribers when it changes, at most once per interval. Each subscriber has
 * its own timer, created on subscribe and cleared on unsubscribe, so an idle feed costs nothing.
 */
export class LiveFeed {
  private readonly subs = new Set<Subscription>()
  private closed = false

  constructor(
    private readonly read: () => unknown,
    private readonly timing: LiveFeedTiming = DEFAULT_TIMING
  ) {}

  /** Sends the current value now, then changes; returns the unsubscribe function (idempotent). */
  subscribe(sink: LiveFeedSink): () => void {
    if (this.closed) {
      sink.close()
      return () => {}
    }
    const last = JSON.stringify(this.read())
    const sub: Subscription = { sink, last, quietMs: 0, timer: setInterval(() => this.tick(sub), this.timing.intervalMs) }
    // An open stream must never keep the process alive on its own.
    sub.timer.unref()
    this.subs.add(sub)
    sink.send(last)
    return () => this.drop(sub)
  }

  /** Open subscriptions (each holds one timer). */
  get subscribers(): number {
    return this.subs.size
  }

  /** Ends every subscription and refuses new ones, so open streams do not hold up the shutdown drain. */
  close(): void {
    this.closed = true
    for (const sub of [...this.subs]) {
      this.drop(sub)
      sub.sink.close()
    }
  }

  private tick(sub: Subscription): void {
    const json = JSON.stringify(this.read())
    if (json !== sub.last) {
      sub.last = json
      sub.quietMs = 0
      sub.sink.send(json)
      return
    }
    sub.quietMs += this.timing.intervalMs
    if (sub.quietMs >= this.timing.keepaliveMs) {
      sub.quietMs = 0
      sub.sink.keepalive()
    }
  }

  private drop(sub: Subscription): void {
    clearInterval(sub.timer)
    this.subs.delete(sub)
  }
}
