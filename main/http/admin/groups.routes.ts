import type { GroupMember } from '@shared/dto/group'
import { findFallbackCycle } from '../../relay/routing/fallback-cycle'
import type { GroupRecord } from '../../store/records'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'
import { uniqueName } from './channels.routes'
import { presentGroup } from './presenters'

/** Group CRUD; members must name existing channels, fallbacks existing groups without a cycle. */
export function groupHandlers(deps: AdminDeps): Pick<AdminHandlers, 'groups.list' | 'groups.get' | 'groups.create' | 'groups.update' | 'groups.delete'> {
  const { repos, routes } = deps
  const channelNames = async (): Promise<Map<number, string>> => new Map((await repos.channels.list()).map(c => [c.id, c.name]))
  const present = async (group: GroupRecord): Promise<ReturnType<typeof presentGroup>> => presentGroup(group, await channelNames())
  const checkMembers = async (members: readonly GroupMember[] | undefined): Promise<void> => {
    if (!members) return
    const names = await channelNames()
    const seen = new Map<string, number>()
    members.forEach((member, index) => {
      if (!names.has(member.channelId)) {
        throw adminErrors.invalidReference(`members.${index}.channelId`, `channel ${member.channelId} does not exist`)
      }
      // The store keeps (channel, model) unique per group; a repeat would surface as a misleading name conflict.
      const pair = JSON.stringify([member.channelId, member.model])
      const first = seen.get(pair)
      if (first !== undefined) {
        throw adminErrors.invalidReference(`members.${index}`, `repeats members.${first} (channel ${member.channelId}, model "${member.model}")`)
      }
      seen.set(pair, index)
    })
  }
  /** Refuses fallback names that are no group and a chain that comes back round; `id` is the group being updated. */
  const checkFallback = async (name: string, fallback: readonly string[], id: number | null): Promise<void> => {
    const graph = new Map<string, readonly string[]>((await repos.groups.list()).filter(g => g.id !== id).map(g => [g.name, g.fallback]))
    fallback.forEach((next, index) => {
      if (next !== name && !graph.has(next)) throw adminErrors.invalidReference(`fallback.${index}`, `group "${next}" does not exist`)
    })
    graph.set(name, fallback)
    const cycle = findFallbackCycle(graph, name)
    if (cycle) throw adminErrors.invalidReference('fallback', `fallback cycle: ${cycle.join(' → ')}`)
  }
  return {
    'groups.list': async () => {
      const names = await channelNames()
      return (await repos.groups.list()).map(g => presentGroup(g, names))
    },
    'groups.get': async ({ params }) => {
      const group = await repos.groups.get(params.id)
      if (!group) throw adminErrors.notFound('Group', params.id)
      return present(group)
    },
    'groups.create': async ({ body }) => {
      await checkMembers(body.members)
      await checkFallback(body.name, body.fallback, null)
      const created = await uniqueName(() => repos.groups.create(body), body.name)
      await routes.reload()
      return present(created)
    },
    'groups.update': async ({ params, body }) => {
      await checkMembers(body.members)
      const current = await repos.groups.get(params.id)
      if (!current) throw adminErrors.notFound('Group', params.id)
      // A rename can close a cycle too: other groups may already name the new name.
      if (body.fallback !== undefined || body.name !== undefined) await checkFallback(body.name ?? current.name, body.fallback ?? current.fallback, current.id)
      const updated = await uniqueName(() => repos.groups.update(params.id, body), body.name ?? current.name)
      if (!updated) throw adminErrors.notFound('Group', params.id)
      await routes.reload()
      return present(updated)
    },
    'groups.delete': async ({ params }) => {
      if (!(await repos.groups.delete(params.id))) throw adminErrors.notFound('Group', params.id)
      await routes.reload()
      return { deleted: true }
    }
  }
}
