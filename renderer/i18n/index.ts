import { createI18n, useI18n, type Composer, type LocaleMessages } from 'vue-i18n'
import { initialLocale } from '../stores/app.store'
import { common } from './common'

/** The app's i18n instance: English and Chinese, English where a Chinese text is missing. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en: common.en, zh: common.zh }
})

/** The same keys as `T`, any text. */
export type Texts<T> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> }

/** A page's own messages: Chinese must have exactly the English keys (checked when compiling). */
export interface PageMessages<T> {
  en: T
  zh: Texts<T>
}

/** Declares a page's messages (the identity, for the key check). */
export function defineMessages<T extends Record<string, unknown>>(messages: PageMessages<T>): PageMessages<T> {
  return messages
}

/** `t` for a page: its own messages, the shared ones (common.ts) as fallback, in the app's language. */
export function usePageI18n<T extends Record<string, unknown>>(messages: PageMessages<T>): Composer {
  return useI18n({ useScope: 'local', inheritLocale: true, messages: messages as unknown as LocaleMessages<Record<string, string>> })
}
