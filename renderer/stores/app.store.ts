import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'

/** The theme the user chose; `system` follows the operating system. */
export type ThemePreference = 'system' | 'light' | 'dark'
/** Languages of the UI. */
export type Locale = 'en' | 'zh'

const THEME_KEY = 'cuttle.theme'
const LOCALE_KEY = 'cuttle.locale'

function storedTheme(): ThemePreference {
  const value = localStorage.getItem(THEME_KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

/** The saved language, else the browser's (Chinese for any zh-*), else English. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY)
  if (saved === 'en' || saved === 'zh') return saved
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

/** UI preferences: theme and language, kept in this browser. */
export const useAppStore = defineStore('app', () => {
  const themePreference = ref<ThemePreference>(storedTheme())
  const locale = ref<Locale>(initialLocale())
  const media = window.matchMedia('(prefers-color-scheme: dark)')
  const systemDark = ref(media.matches)
  media.addEventListener('change', event => {
    systemDark.value = event.matches
  })
  const dark = computed(() => (themePreference.value === 'system' ? systemDark.value : themePreference.value === 'dark'))

  watch(themePreference, value => localStorage.setItem(THEME_KEY, value))
  watch(locale, value => {
    localStorage.setItem(LOCALE_KEY, value)
    document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en'
  })

  return { themePreference, locale, dark }
})
