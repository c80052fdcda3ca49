import type { BalanceMode } from '@shared/constants/protocol'
import type { ChannelDto } from '@shared/dto/channel'

/** A member row as the editor holds it; `uid` keeps each row's identity while rows move. */
export interface MemberDraft {
  uid: number
  channelId: number | null
  model: string
  priority: number
  weight: number
}

/**
 * What the relay will do with a channel: a disabled channel is left out of the route table, a
 * channel whose keys are all set aside has nothing to send with, a cooling one is tried last.
 */
export type ChannelCondition = 'ready' | 'cooling' | 'disabled' | 'keys-set-aside' | 'missing'

/** The condition of `channel` (undefined: not chosen yet, or deleted meanwhile). */
export function channelCondition(channel: ChannelDto | undefined): ChannelCondition {
  if (!channel) return 'missing'
  if (!channel.enabled) return 'disabled'
  if (channel.keys.length > 0 && channel.keys.every(key => key.health.status === 'disabled')) return 'keys-set-aside'
  if (channel.health.status === 'cooling' || channel.health.status === 'half-open') return 'cooling'
  return 'ready'
}

/** One member in the preview: its row number (1-based) and, in weighted mode, its share of the tier. */
export interface PlannedMember {
  row: number
  channelName: string
  model: string
  weight: number
  /** Percentage of the tier's requests that start here (weighted mode only). */
  share: number | null
}

/** One priority tier, in the order a request reaches the tiers. */
export interface PlannedTier {
  priority: number
  members: PlannedMember[]
}

/** The order a request tries the members in, as the relay's balancer builds it. */
export interface MemberPlan {
  tiers: PlannedTier[]
  /** Cooling members: still reachable, after every ready one. */
  cooling: PlannedMember[]
  /** Members the relay cannot use (disabled channel, every key set aside, unfinished row). */
  skipped: PlannedMember[]
}

/**
 * Mirrors main/relay/routing/balancer.ts for the preview: tiers by ascending priority keeping
 * list order inside a tier, cooling members last, weights as shares of their tier.
 */
export function planMembers(members: readonly MemberDraft[], mode: BalanceMode, channels: ReadonlyMap<number, ChannelDto>): MemberPlan {
  const tiers: PlannedTier[] = []
  const cooling: PlannedMember[] = []
  const skipped: PlannedMember[] = []
  members.forEach((member, index) => {
    const channel = member.channelId === null ? undefined : channels.get(member.channelId)
    const planned: PlannedMember = { row: index + 1, channelName: channel?.name ?? '—', model: member.model, weight: member.weight, share: null }
    const condition = channelCondition(channel)
    if (condition === 'cooling') cooling.push(planned)
    else if (condition !== 'ready' || member.model.trim() === '') skipped.push(planned)
    else {
      const tier = tiers.find(t => t.priority === member.priority)
      if (tier) tier.members.push(planned)
      else tiers.push({ priority: member.priority, members: [planned] })
    }
  })
  tiers.sort((a, b) => a.priority - b.priority)
  if (mode === 'weighted') {
    for (const tier of tiers) {
      const total = tier.members.reduce((sum, m) => sum + Math.max(0, m.weight), 0)
      for (const m of tier.members) m.share = total > 0 ? (Math.max(0, m.weight) / total) * 100 : 0
    }
  }
  // The balancer sorts cooling members by priority too (stable, so list order stays inside one).
  cooling.sort((a, b) => (members[a.row - 1]?.priority ?? 0) - (members[b.row - 1]?.priority ?? 0))
  return { tiers, cooling, skipped }
}

/** "P0 ×2 · P1 ×1": the tiers of a saved group at a glance. */
export function tierSummary(members: ReadonlyArray<{ priority: number }>): Array<{ priority: number; count: number }> {
  const counts = new Map<number, number>()
  for (const m of members) counts.set(m.priority, (counts.get(m.priority) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([priority, count]) => ({ priority, count }))
}
