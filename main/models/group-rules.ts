import type { GroupChange } from '@shared/dto/model-sync'
import { compileModelPattern } from '@shared/dto/model-pattern'
import type { ChannelRecord, GroupFields, GroupMemberRecord, GroupRecord } from '../store/records'

/** Most members a group may have (the admin API's limit); rules never push a group past it. */
export const MAX_GROUP_MEMBERS = 500

/** What a sync's new models do to the groups. */
export interface GroupPlan {
  /** Existing groups and the members to append to them. */
  additions: Array<{ groupId: number; members: GroupMemberRecord[] }>
  /** Groups to create (setting `autoGroups`). */
  creations: GroupFields[]
  /** The same, as the API reports it. */
  changes: GroupChange[]
}

/** Input of planGroups. */
export interface GroupPlanInput {
  /** The synced channel. */
  channelId: number
  /** Models the sync adds to it, as the provider names them. */
  added: readonly string[]
  groups: readonly GroupRecord[]
  /** Every channel, the synced one with the added models already in its list. */
  channels: readonly ChannelRecord[]
  autoGroups: boolean
}

/**
 * Plans the group name rules for models a sync adds: every group whose pattern matches a new
 * model gets `(channel, model)` (priority 0, weight 1) unless it has it; with `autoGroups`, a new
 * model no group is named after gets a group of its own. That group lists every channel that
 * lists the model, with the channel's priority and weight, in the implicit group's order, so
 * making it changes no routing; its pattern matches exactly its name, so channels synced later
 * that list the model join it.
 */
export function planGroups(input: GroupPlanInput): GroupPlan {
  const plan: GroupPlan = { additions: [], creations: [], changes: [] }
  for (const group of input.groups) {
    const pattern = patternOf(group)
    if (!pattern) continue
    const have = new Set(group.members.filter(m => m.channelId === input.channelId).map(m => m.model))
    const room = MAX_GROUP_MEMBERS - group.members.length
    const models = input.added.filter(model => !have.has(model) && pattern.test(model)).slice(0, Math.max(0, room))
    if (models.length === 0) continue
    plan.additions.push({ groupId: group.id, members: models.map(model => ({ channelId: input.channelId, model, priority: 0, weight: 1 })) })
    plan.changes.push({ name: group.name, created: false, models })
  }
  if (!input.autoGroups) return plan
  const named = new Set(input.groups.map(group => group.name))
  for (const model of input.added) {
    if (named.has(model)) continue
    named.add(model)
    plan.creations.push(autoGroup(model, input.channels))
    plan.changes.push({ name: model, created: true, models: [model] })
  }
  return plan
}

/** A pattern that matches exactly this model name. */
export function exactModelPattern(model: string): string {
  return `^${model.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`
}

function autoGroup(model: string, channels: readonly ChannelRecord[]): GroupFields {
  const members = channels
    .filter(channel => channel.models.includes(model))
    .sort((a, b) => a.priority - b.priority || a.id - b.id)
    .slice(0, MAX_GROUP_MEMBERS)
    .map(channel => ({ channelId: channel.id, model: channel.modelMap[model] ?? model, priority: channel.priority, weight: channel.weight }))
  return {
    name: model,
    mode: 'failover',
    enabled: true,
    fallback: [],
    firstTokenTimeoutMs: null,
    totalTimeoutMs: null,
    maxAttempts: null,
    modelPattern: exactModelPattern(model),
    errorRules: [],
    members
  }
}

/** The group's compiled pattern; a stored pattern that no longer compiles is skipped, not fatal. */
function patternOf(group: GroupRecord): RegExp | null {
  if (group.modelPattern === null) return null
  try {
    return compileModelPattern(group.modelPattern)
  } catch {
    return null
  }
}
