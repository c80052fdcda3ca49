import type { RequestLogItem } from '@shared/dto/log-query'
import { ref, type Ref } from 'vue'
import { messageOf } from '../../composables/use-loader'
import { useAuthStore } from '../../stores/auth.store'
import { apiQueryOf, type LogFilters } from './query'

/** Rows per page; the API allows up to 200. */
const PAGE = 50

/** The log rows loaded so far, newest first, paged by the API's keyset cursor (there is no total). */
export interface LogPages {
  items: Ref<RequestLogItem[]>
  /** Cursor of the next older page; null once the oldest row is loaded. */
  nextCursor: Ref<string | null>
  loading: Ref<boolean>
  loadingOlder: Ref<boolean>
  error: Ref<string | null>
  /** Rows the last refresh put on top. */
  fresh: Ref<number>
  reload: () => Promise<void>
  older: () => Promise<void>
  refreshNewest: () => Promise<void>
}

export function useLogPages(filters: () => LogFilters): LogPages {
  const auth = useAuthStore()
  const items = ref<RequestLogItem[]>([])
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const loadingOlder = ref(false)
  const error = ref<string | null>(null)
  const fresh = ref(0)
  // Answers of a load that a newer one replaced (filters changed meanwhile) are dropped.
  let generation = 0

  const page = (cursor?: string) => auth.call('logs.list', { query: { ...apiQueryOf(filters()), cursor, limit: PAGE } })

  async function reload(): Promise<void> {
    const mine = ++generation
    loading.value = true
    try {
      const result = await page()
      if (mine !== generation) return
      items.value = result.items
      nextCursor.value = result.nextCursor
      fresh.value = 0
      error.value = null
    } catch (err) {
      if (mine === generation) error.value = messageOf(err)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function older(): Promise<void> {
    const cursor = nextCursor.value
    if (cursor === null || loadingOlder.value) return
    const mine = generation
    loadingOlder.value = true
    try {
      const result = await page(cursor)
      if (mine !== generation) return
      const known = new Set(items.value.map(row => row.id))
      items.value = [...items.value, ...result.items.filter(row => !known.has(row.id))]
      nextCursor.value = result.nextCursor
    } catch (err) {
      if (mine === generation) error.value = messageOf(err)
    } finally {
      loadingOlder.value = false
    }
  }

  /**
   * Puts rows that arrived since the newest one shown on top, keeping the older pages already
   * loaded; when more arrived than one page holds, the view starts over from the newest page.
   */
  async function refreshNewest(): Promise<void> {
    const top = items.value[0]
    if (top === undefined || loading.value) return reload()
    const mine = generation
    try {
      const result = await page()
      if (mine !== generation) return
      const at = result.items.findIndex(row => row.id === top.id)
      if (at === -1) return void (await reload())
      fresh.value = at
      if (at > 0) items.value = [...result.items.slice(0, at), ...items.value]
      error.value = null
    } catch (err) {
      if (mine === generation) error.value = messageOf(err)
    }
  }

  return { items, nextCursor, loading, loadingOlder, error, fresh, reload, older, refreshNewest }
}
