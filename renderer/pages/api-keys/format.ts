import type { ApiKeyLimits } from '@shared/dto/api-key'

/** BCP 47 tag of the UI language, for dates and numbers. */
export function languageTag(locale: string): string {
  return locale === 'zh' ? 'zh-CN' : 'en'
}

/** A moment as the reader's calendar shows it: the day, or the day and the time. */
export function formatDate(epochMs: number, locale: string, withTime = false): string {
  return new Intl.DateTimeFormat(languageTag(locale), withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(epochMs)
}

/** The set limits, each as its own short text ("60 req/min"), in the order rpm, tpm, budget. */
export function limitTexts(limits: ApiKeyLimits, locale: string, t: (key: string, named: Record<string, unknown>) => string): string[] {
  const number = new Intl.NumberFormat(languageTag(locale))
  const money = new Intl.NumberFormat(languageTag(locale), { style: 'currency', currency: 'USD' })
  const out: string[] = []
  if (limits.rpm !== undefined) out.push(t('limit.rpm', { n: number.format(limits.rpm) }))
  if (limits.tpm !== undefined) out.push(t('limit.tpm', { n: number.format(limits.tpm) }))
  if (limits.monthlyBudgetUsd !== undefined) out.push(t('limit.budget', { amount: money.format(limits.monthlyBudgetUsd) }))
  return out
}
