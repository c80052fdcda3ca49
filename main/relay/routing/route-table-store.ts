import type { Repositories } from '../../store/repositories'
import { buildRouteTable, type RouteTable } from './route-table'

/** Holds the current route table and rebuilds it from the database after a change. */
export interface RouteTableStore {
  current(): RouteTable
  /** After a change made here: rebuilds from the database, then tells the other instances; resolves once requests see the new table. */
  reload(): Promise<void>
  /** After another instance's change: rebuilds from the database only. */
  refresh(): Promise<void>
  /** Calls `listener` after every rebuild (the tray's group menu); returns the unsubscribe function. */
  onChange(listener: (table: RouteTable) => void): () => void
}

/**
 * Loads the first table and returns the store; `publish` announces a local change to the instances
 * sharing the database (the config revision). Rebuilds run one at a time, latest wins.
 */
export async function createRouteTableStore(repos: Repositories, publish: () => Promise<unknown>): Promise<RouteTableStore> {
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
  const enqueue = (run: () => Promise<void>): Promise<void> => {
    chain = chain.then(run, run)
    return chain
  }
  return {
    current: () => table,
    reload: () =>
      enqueue(async () => {
        await swap()
        await publish()
      }),
    refresh: () => enqueue(swap),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
