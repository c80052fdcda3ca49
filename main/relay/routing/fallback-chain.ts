import type { RouteGroup, RouteMember } from './route-table'

/** A member to try and the group it is tried for. */
export interface ChainCandidate {
  group: RouteGroup
  member: RouteMember
}

/**
 * The candidates of one request: the requested group's members as planned, then each enabled
 * fallback group's in its own order. A fallback group is ordered only when the request reaches it,
 * so its rotation moves only for requests that used it.
 */
export function* withFallbacks(group: RouteGroup, planned: readonly RouteMember[], order: (fallback: RouteGroup) => RouteMember[]): Generator<ChainCandidate> {
  for (const member of planned) yield { group, member }
  for (const fallback of group.fallbacks) {
    if (!fallback.enabled) continue
    for (const member of order(fallback)) yield { group: fallback, member }
  }
}

/** Whether the group and its fallbacks have no member at all: nothing could be tried. */
export function chainIsEmpty(group: RouteGroup): boolean {
  return group.members.length === 0 && group.fallbacks.every(fallback => !fallback.enabled || fallback.members.length === 0)
}

/** The channel with this id among the chain's members (the one that answered, to price it). */
export function chainChannel(group: RouteGroup, channelId: number | null): RouteMember['channel'] | undefined {
  for (const owner of [group, ...group.fallbacks]) {
    const found = owner.members.find(m => m.channel.id === channelId)
    if (found) return found.channel
  }
  return undefined
}
