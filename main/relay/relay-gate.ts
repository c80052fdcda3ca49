/**
 * Whether the relay takes requests. The desktop tray's "Pause relay" closes it: clients then get
 * a 503 in their own format saying so, and nothing reaches a provider, until it is opened again.
 */
export class RelayGate {
  private closed = false
  private readonly listeners = new Set<(paused: boolean) => void>()

  /** Whether requests are refused. */
  get paused(): boolean {
    return this.closed
  }

  /** Pauses or resumes the relay. */
  setPaused(paused: boolean): void {
    if (paused === this.closed) return
    this.closed = paused
    for (const listener of this.listeners) listener(paused)
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (paused: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
