import type { Repositories } from '../../store/repositories'
import { buildRouteTable, type RouteTable } from './route-table'

/** Holds the current route table and rebuilds it from the database after a change. */
export interface RouteTableStore {
  current(): RouteTable
  /** Rebuilds from the database; resolves once requests see the new table. */
  reload(): Promise<void>
  /** Calls `listener` after every rebuild (the tray's group menu); returns the unsubscribe function. */
  onChange(listener: (table: RouteTable) => void): () => void
}

/** Loads the first table and returns the store. Reloads run one at a time, latest wins. */
export async function createRouteTableStore(repos: Repositories): Promise<RouteTableStore> {
  const load = async (): Promise<RouteTable> => {
    const [channels, groups, apiKeys, settings] = await Promise.all([
      repos.channels.list(),
      repos.groups.list(),
      repos.apiKeys.list(),
      repos.settings.getAll()
    ])
    return buildRouteTable({ channels, groups, apiKeys, settings })
  }
  let table = await load()
  let chain: Promise<void> = Promise.resolve()
  const listeners = new Set<(table: RouteTable) => void>()
  const swap = async (): Promise<void> => {
    table = await load()
    for (const listener of listeners) listener(table)
  }
  return {
    current: () => table,
    reload() {
      chain = chain.then(swap, swap)
      return chain
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
