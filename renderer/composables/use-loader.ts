import { ref, type Ref } from 'vue'
import { ApiError } from '../api/client'

/** The message to show for a failure: the API's own, or a generic one. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message
  return err instanceof Error ? err.message : String(err)
}

/** Data loaded from the API with its loading and error states, and a way to load it again. */
export interface Loader<T> {
  data: Ref<T | null>
  loading: Ref<boolean>
  error: Ref<string | null>
  reload: () => Promise<void>
}

/**
 * Loads `load()` now (unless told not to) and on `reload()`. Answers of an earlier load that
 * arrive after a later one started are dropped, so a slow page never overwrites a newer one.
 */
export function useLoader<T>(load: () => Promise<T>, options: { immediate?: boolean } = {}): Loader<T> {
  const data = ref<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string | null>(null)
  let generation = 0
  const reload = async (): Promise<void> => {
    const mine = ++generation
    loading.value = true
    try {
      const value = await load()
      if (mine !== generation) return
      data.value = value
      error.value = null
    } catch (err) {
      if (mine === generation) error.value = messageOf(err)
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  if (options.immediate !== false) void reload()
  return { data, loading, error, reload }
}
