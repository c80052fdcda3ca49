import { useMessage } from 'naive-ui'
import { ref, type Ref } from 'vue'
import { messageOf } from './use-loader'

/** Runs changes with a busy flag and a toast: the success text when given, the error always. */
export function useAction(): { busy: Ref<boolean>; run: <T>(action: () => Promise<T>, success?: string) => Promise<T | undefined> } {
  const message = useMessage()
  const busy = ref(false)
  const run = async <T>(action: () => Promise<T>, success?: string): Promise<T | undefined> => {
    busy.value = true
    try {
      const result = await action()
      if (success) message.success(success)
      return result
    } catch (err) {
      message.error(messageOf(err), { duration: 6000, closable: true })
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { busy, run }
}
