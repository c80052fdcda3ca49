import type { LiveStats } from '@shared/dto/stats'
import type { LiveCounters } from './live-counters'
import type { StatsRecorder } from './stats-recorder'

/** The live figures the admin API, its stream and the tray show. */
export function readLiveStats(live: LiveCounters, stats: StatsRecorder): LiveStats {
  return { ...live.snapshot(), droppedLogs: stats.dropped }
}
