import type { RouteGroup, RouteMember } from './route-table'

/** Orders a group's members for one request; holds the rotation state of every group. */
export interface Balancer {
  /** All members in the order to try them: priority tiers by mode, then cooling members last. */
  order(group: RouteGroup, isCooling: (member: RouteMember) => boolean): RouteMember[]
}

/** Identity of a member across route-table rebuilds, which replace every member object. */
export function memberIdentity(member: RouteMember): string {
  return `${member.channel.id}|${member.upstreamModel}`
}

/** A balancer whose random mode draws from `random` (injected so tests can seed it). */
export function createBalancer(random: () => number = Math.random): Balancer {
  // Keyed by group name, not by the group object: the route table rebuilds groups on every
  // admin change and the rotation must carry over.
  const cursors = new Map<string, number>()
  const swrrState = new Map<string, Map<string, number>>()

  function weighted(group: RouteGroup, tiers: RouteMember[][]): RouteMember[][] {
    const keys = identities(group.members)
    const previous = swrrState.get(group.name)
    // Rebuilt from the current members: newcomers start at 0 and vanished members are
    // forgotten, so a member re-added later does not come back with a stale head start.
    // Cooling members keep their value untouched (they are still in the group).
    const state = new Map<string, number>()
    for (const key of keys.values()) state.set(key, previous?.get(key) ?? 0)
    swrrState.set(group.name, state)
    return tiers.map(tier => {
      const picked = swrrPick(tier, keys, state)
      const rest = tier.filter(m => m !== picked).sort((a, b) => weightOf(b) - weightOf(a))
      return [picked, ...rest]
    })
  }

  return {
    order(group, isCooling) {
      const ready: RouteMember[] = []
      const cooling: RouteMember[] = []
      for (const member of group.members) (isCooling(member) ? cooling : ready).push(member)
      let tiers = byPriority(ready)
      // Nothing to rotate when every member is cooling, so no state moves.
      if (tiers.length > 0) {
        switch (group.mode) {
          case 'failover':
            break
          case 'round-robin': {
            // One advance per call, shared by all tiers: a request only reaches a lower tier
            // when the upper one failed, so that tier still sees every start position in turn.
            const cursor = cursors.get(group.name) ?? 0
            cursors.set(group.name, cursor + 1)
            tiers = tiers.map(tier => rotate(tier, cursor))
            break
          }
          case 'random':
            tiers = tiers.map(tier => shuffle(tier, random))
            break
          case 'weighted':
            tiers = weighted(group, tiers)
            break
        }
      }
      // Cooling members stay reachable as a last resort, in plain priority/list order.
      return [...tiers.flat(), ...byPriority(cooling).flat()]
    }
  }
}

/** Priority tiers, lowest number first; the stable sort keeps list order inside a tier. */
function byPriority(members: readonly RouteMember[]): RouteMember[][] {
  const tiers: RouteMember[][] = []
  for (const member of [...members].sort((a, b) => a.priority - b.priority)) {
    const last = tiers.at(-1)
    if (last?.[0]?.priority === member.priority) last.push(member)
    else tiers.push([member])
  }
  return tiers
}

function rotate<T>(items: readonly T[], cursor: number): T[] {
  const start = cursor % items.length
  return [...items.slice(start), ...items.slice(0, start)]
}

/** Fisher–Yates; the clamp guards a `random` that returns exactly 1. */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)))
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}

/** Identities made unique: a group may list the same (channel, model) twice, each its own slot. */
function identities(members: readonly RouteMember[]): Map<RouteMember, string> {
  const seen = new Map<string, number>()
  const keys = new Map<RouteMember, string>()
  for (const member of members) {
    const base = memberIdentity(member)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    keys.set(member, n === 0 ? base : `${base}#${n}`)
  }
  return keys
}

function weightOf(member: RouteMember): number {
  return Math.max(0, member.weight)
}

/**
 * One round of nginx's smooth weighted round-robin over a non-empty tier: every member gains
 * its weight, the highest (first in list order on ties) is picked and loses the tier's total.
 * The total is per tier, so weights in other tiers cannot skew this one.
 */
function swrrPick(tier: RouteMember[], keys: Map<RouteMember, string>, state: Map<string, number>): RouteMember {
  let total = 0
  let best: RouteMember | undefined
  let bestCurrent = -Infinity
  for (const member of tier) {
    const key = keys.get(member) ?? memberIdentity(member)
    const current = (state.get(key) ?? 0) + weightOf(member)
    state.set(key, current)
    total += weightOf(member)
    if (current > bestCurrent) {
      best = member
      bestCurrent = current
    }
  }
  const picked = best ?? (tier[0] as RouteMember)
  const pickedKey = keys.get(picked) ?? memberIdentity(picked)
  state.set(pickedKey, bestCurrent - total)
  return picked
}
