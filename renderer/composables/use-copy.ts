import { useMessage } from 'naive-ui'
import { useI18n } from 'vue-i18n'

/**
 * Copies text to the clipboard and says so. The Clipboard API exists only in secure contexts
 * (https or localhost); a headless Cuttle reached over plain http on another host falls back to a
 * selected textarea and the older copy command.
 */
export function useCopy(): (text: string) => Promise<boolean> {
  const message = useMessage()
  const { t } = useI18n()
  return async text => {
    let copied = false
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text)
        copied = true
      }
    } catch {
      // Permission refused: try the fallback below.
    }
    if (!copied) copied = copyBySelection(text)
    if (copied) message.success(t('state.copied'))
    else message.error(t('error.title'))
    return copied
  }
}

function copyBySelection(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}
