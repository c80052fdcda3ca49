import { readLiveStats } from '../../stats/live-stats'
import type { AdminDeps, AdminHandlers } from './admin-context'

/** Live counters, read from memory (no database round trip). */
export function statsHandlers(deps: AdminDeps): Pick<AdminHandlers, 'stats.live'> {
  return {
    'stats.live': async () => readLiveStats(deps.live, deps.stats)
  }
}
