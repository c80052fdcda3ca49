import type { AdminTokenSigner } from '../security/admin-token'
import type { RelayGate } from '../relay/relay-gate'
import type { RouteTableStore } from '../relay/routing/route-table-store'
import type { Repositories } from '../store/repositories'

/** A group as the tray lists it. */
export interface GroupSwitch {
  id: number
  name: string
  enabled: boolean
}

/**
 * What a shell (the desktop tray and window) may do to a running core, beyond the admin API:
 * sign its own window in, pause the relay, switch groups on and off. Everything goes through the
 * same repositories and route table as the admin API, so a change takes effect on the next request.
 */
export interface CoreControl {
  /** A token for the first admin account, valid `ttlMs` (the desktop window signs in with it). */
  issueAdminToken(ttlMs: number): Promise<string>
  readonly gate: RelayGate
  /** The explicit groups, by name. */
  groups(): Promise<GroupSwitch[]>
  setGroupEnabled(id: number, enabled: boolean): Promise<void>
}

/** Builds the control over the core's parts. */
export function createCoreControl(deps: { repos: Repositories; routes: RouteTableStore; tokens: AdminTokenSigner; gate: RelayGate; now: () => number }): CoreControl {
  return {
    gate: deps.gate,
    async issueAdminToken(ttlMs) {
      const user = await deps.repos.users.first()
      if (!user) throw new Error('there is no admin account yet')
      return deps.tokens.sign({ userId: user.id, epoch: user.sessionEpoch, expiresAt: deps.now() + ttlMs })
    },
    async groups() {
      const groups = await deps.repos.groups.list()
      return groups.map(g => ({ id: g.id, name: g.name, enabled: g.enabled })).sort((a, b) => a.name.localeCompare(b.name))
    },
    async setGroupEnabled(id, enabled) {
      const updated = await deps.repos.groups.update(id, { enabled })
      if (!updated) throw new Error(`group ${id} does not exist`)
      await deps.routes.reload()
    }
  }
}
