import type { PriceSource } from '@shared/dto/price'

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 })
const count = new Intl.NumberFormat('en-US')

/** A price in USD per million tokens, as many decimals as it has (cache prices go below a cent). */
export function formatUsd(value: number): string {
  return usd.format(value)
}

/** A token count with thousands separators. */
export function formatCount(value: number): string {
  return count.format(value)
}

/** The i18n key of a source (`models.dev` holds a dot, which vue-i18n reads as a path). */
export function sourceKey(source: PriceSource): 'modelsDev' | 'user' | 'channel' {
  return source === 'models.dev' ? 'modelsDev' : source
}

/** Tag colour per source, the same in the table and the lookup. */
export const SOURCE_TAG_TYPE = { 'models.dev': 'info', user: 'success', channel: 'warning' } as const satisfies Record<PriceSource, string>

/** The translate function a render function receives from its page. */
export type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string
