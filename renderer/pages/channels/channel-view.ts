import type { ChannelType } from '@shared/constants/protocol'
import { balanceProviderOfHost } from '@shared/constants/balance-hosts'
import type { HealthViewDto, MaskedKey } from '@shared/dto/channel'

/** Colour of a tag in Naive UI's palette. */
export type TagType = 'default' | 'primary' | 'info' | 'success' | 'warning' | 'error'

/** One colour per API type, so a mixed table reads at a glance. */
export const TYPE_TAG: Record<ChannelType, TagType> = {
  'openai-chat': 'success',
  'openai-responses': 'primary',
  anthropic: 'warning',
  gemini: 'info'
}

/**
 * Where requests go under a base URL (the relay's endpoint rules): `append` types add `suffix`
 * to a path, `root` types use the path as the API root.
 */
export const DEFAULT_PATHS: Record<ChannelType, { bare: string; suffix: string; example: string; mode: 'append' | 'root' }> = {
  'openai-chat': { bare: '/v1/chat/completions', suffix: '/chat/completions', example: 'https://host/api/v1', mode: 'append' },
  'openai-responses': { bare: '/v1/responses', suffix: '/responses', example: 'https://host/v1', mode: 'append' },
  anthropic: { bare: '/v1/messages', suffix: '/messages', example: 'https://host/api/anthropic', mode: 'append' },
  gemini: { bare: '/v1beta/models/…:generateContent', suffix: '', example: 'https://host/gemini/v1beta', mode: 'root' }
}

export const HEALTH_TAG: Record<HealthViewDto['status'], TagType> = {
  healthy: 'success',
  cooling: 'warning',
  'half-open': 'info',
  disabled: 'error'
}

/** How many of the keys are healthy (a probing key is not yet). */
export function keyHealth(keys: readonly MaskedKey[]): { healthy: number; total: number; tag: TagType } {
  const healthy = keys.filter(key => key.health.status === 'healthy').length
  const total = keys.length
  const tag: TagType = total === 0 ? 'default' : healthy === total ? 'success' : healthy === 0 ? 'error' : 'warning'
  return { healthy, total, tag }
}

/** The first base URL host with a readable balance, or null. */
export function balanceHost(baseUrls: readonly string[]): string | null {
  for (const url of baseUrls) {
    const host = hostOf(url)
    if (host !== null && balanceProviderOfHost(host) !== null) return host
  }
  return null
}

/** The host of a URL, or null when it is not one. */
export function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return null
  }
}

/** A local clock time with seconds (cooldowns are short). */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** A money amount with its currency, as the locale writes it. */
export function money(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 4 }).format(amount)
  } catch {
    return `${amount} ${currency}`
  }
}
