import type { Knex } from 'knex'
import type { ModelSyncResult } from '@shared/dto/model-sync'
import type { RouteTableStore } from '../relay/routing/route-table-store'
import type { ChannelRecord } from '../store/records'
import type { Repositories } from '../store/repositories'
import { planGroups, type GroupPlan } from './group-rules'

/** Most models a channel may hold (the admin API's limit); a sync never pushes a channel past it. */
export const MAX_CHANNEL_MODELS = 5000

/** What model sync is built from; `list` asks the channel's provider (listModels in the core). */
export interface ModelSyncDeps {
  db: Knex
  repos: Repositories
  routes: RouteTableStore
  list: (channel: ChannelRecord, signal?: AbortSignal) => Promise<string[]>
}

/**
 * Which listed models are new to the channel and which of its models are no longer listed. A
 * channel model mapped to another upstream name (`modelMap`) counts as listed when either name is.
 */
export function compareModels(channel: Pick<ChannelRecord, 'models' | 'modelMap'>, listed: readonly string[]): { added: string[]; missing: string[] } {
  const upstreamOf = (model: string): string => channel.modelMap[model] ?? model
  const known = new Set(channel.models.flatMap(model => [model, upstreamOf(model)]))
  const present = new Set(listed)
  return {
    added: listed.filter(id => !known.has(id)),
    missing: channel.models.filter(model => !present.has(model) && !present.has(upstreamOf(model)))
  }
}

/** Model sync of one channel: compare, and on request add the new models to it and to the groups. */
export class ModelSync {
  // Applies run one at a time in this process: two syncs must not plan from the same group rows.
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: ModelSyncDeps) {}

  /**
   * Lists the channel's models and compares them with its list. With `apply`, the new models are
   * added to the channel (none removed) and to the groups the name rules pick, then the route
   * table is rebuilt; without it nothing is written and `groupsChanged` is a preview. Null when
   * the channel does not exist; listing failures throw ModelListError.
   */
  async sync(channelId: number, apply: boolean, signal?: AbortSignal): Promise<ModelSyncResult | null> {
    const { repos } = this.deps
    const channel = await repos.channels.get(channelId)
    if (!channel) return null
    const models = await this.deps.list(channel, signal)
    if (apply) return this.serialised(() => this.apply(channelId, models))
    const { added, missing } = compareModels(channel, models)
    const plan = await this.plan(this.deps.db, channel, added)
    return { models, added, missing, applied: false, groupsChanged: plan.changes }
  }

  private async apply(channelId: number, models: string[]): Promise<ModelSyncResult | null> {
    const { repos } = this.deps
    const result = await this.deps.db.transaction(async trx => {
      const channel = await repos.channels.get(channelId, trx)
      if (!channel) return null
      const { added, missing } = compareModels(channel, models)
      const fits = added.slice(0, Math.max(0, MAX_CHANNEL_MODELS - channel.models.length))
      if (fits.length === 0) return { models, added, missing, applied: true, groupsChanged: [] }
      const updated = await repos.channels.update(channelId, { models: [...channel.models, ...fits] }, trx)
      if (!updated) return null
      const plan = await this.plan(trx, updated, fits)
      for (const { groupId, members } of plan.additions) await repos.groups.addMembers(groupId, members, trx)
      for (const fields of plan.creations) await repos.groups.create(fields, trx)
      return { models, added, missing, applied: true, groupsChanged: plan.changes }
    })
    if (result && result.added.length > 0) await this.deps.routes.reload()
    return result
  }

  /** The group rules for `added`, planned from the groups and channels as `db` sees them. */
  private async plan(db: Knex, channel: ChannelRecord, added: readonly string[]): Promise<GroupPlan> {
    const { repos } = this.deps
    if (added.length === 0) return { additions: [], creations: [], changes: [] }
    // One after the other: inside a transaction they share one connection.
    const groups = await repos.groups.list(db)
    const stored = await repos.channels.list(db)
    const settings = await repos.settings.getAll(db)
    // In a preview the channel does not hold the new models yet; the auto groups must see them.
    const merged = { ...channel, models: [...new Set([...channel.models, ...added])] }
    const channels = stored.map(c => (c.id === channel.id ? merged : c))
    return planGroups({ channelId: channel.id, added, groups, channels, autoGroups: settings.autoGroups })
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }
}
