import type { RouteGroup, RouteMember } from './route-table'

/**
 * Orders a group's members for one request: priority tiers, lower number first; inside a tier
 * the saved order (failover). The balancing modes of the relay-engine issue slot in here.
 */
export function planCandidates(group: RouteGroup): RouteMember[] {
  return [...group.members].sort((a, b) => a.priority - b.priority)
}

/** Rotates through a channel's keys, one cursor per channel, so load spreads over the pool. */
export class KeyRotation {
  private readonly cursors = new Map<number, number>()

  /** The keys of a channel in the order this attempt should try them. */
  order(channelId: number, keys: readonly string[]): string[] {
    if (keys.length <= 1) return [...keys]
    const start = (this.cursors.get(channelId) ?? 0) % keys.length
    this.cursors.set(channelId, start + 1)
    return [...keys.slice(start), ...keys.slice(0, start)]
  }
}
