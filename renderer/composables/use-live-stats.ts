import type { EndpointResult } from '@shared/contract/admin-api'
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { API_PREFIX } from '../api/client'
import { useAuthStore } from '../stores/auth.store'

/** Live counters (in flight, requests per second, today) as the server pushes them. */
export type LiveStats = EndpointResult<'stats.live'>

/**
 * Subscribes to `/stats/live/stream` (server-sent events, at most one a second) while the
 * component is mounted; EventSource cannot send headers, so the token goes in the query.
 * `connected` is false while the stream is down (EventSource retries by itself).
 */
export function useLiveStats(): { live: Ref<LiveStats | null>; connected: Ref<boolean> } {
  const auth = useAuthStore()
  const live = ref<LiveStats | null>(null)
  const connected = ref(false)
  let source: EventSource | null = null
  onMounted(() => {
    if (!auth.token) return
    source = new EventSource(`${API_PREFIX}/stats/live/stream?token=${encodeURIComponent(auth.token)}`)
    source.addEventListener('open', () => (connected.value = true))
    source.addEventListener('error', () => (connected.value = false))
    source.addEventListener('live', event => {
      live.value = JSON.parse((event as MessageEvent<string>).data) as LiveStats
      connected.value = true
    })
  })
  onBeforeUnmount(() => source?.close())
  return { live, connected }
}
