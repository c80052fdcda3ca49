import { balanceProviderOfHost } from '@shared/constants/balance-hosts'
import type { Balance, BalanceProvider } from '@shared/dto/balance'
import { objectOf } from './provider-call'

/** A balance as read from an answer, before it is stamped. */
export type ReadBalance = Omit<Balance, 'fetchedAt'>

interface BalanceSpec {
  /** Path on the provider's origin (whatever path the channel's base URL has). */
  path: string
  /** Null when the answer does not have the provider's shape. */
  read(body: unknown): ReadBalance | null
}

/** A provider's answer amounts: numbers, or numbers sent as strings (DeepSeek, SiliconFlow). */
export function amountOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) ? number : null
}

const moonshot = (currency: string): BalanceSpec => ({
  path: '/v1/users/me/balance',
  read(body) {
    const amount = amountOf(objectOf(objectOf(body)?.data)?.available_balance)
    return amount === null ? null : { amount, currency }
  }
})

const siliconFlow = (currency: string): BalanceSpec => ({
  path: '/v1/user/info',
  read(body) {
    const amount = amountOf(objectOf(objectOf(body)?.data)?.totalBalance)
    return amount === null ? null : { amount, currency }
  }
})

const SPECS: Record<BalanceProvider, BalanceSpec> = {
  'openrouter.ai': {
    path: '/api/v1/credits',
    read(body) {
      const data = objectOf(objectOf(body)?.data)
      const credits = amountOf(data?.total_credits)
      const used = amountOf(data?.total_usage)
      if (credits === null || used === null) return null
      // Rounded to a billionth: the difference of two decimals must not show float noise.
      return { amount: Math.round((credits - used) * 1e9) / 1e9, currency: 'USD', used }
    }
  },
  'deepseek.com': {
    path: '/user/balance',
    read(body) {
      const answer = objectOf(body)
      const first = Array.isArray(answer?.balance_infos) ? objectOf(answer.balance_infos[0]) : null
      const amount = amountOf(first?.total_balance)
      if (amount === null || typeof first?.currency !== 'string') return null
      return { amount, currency: first.currency, ...(typeof answer?.is_available === 'boolean' ? { available: answer.is_available } : {}) }
    }
  },
  'moonshot.ai': moonshot('USD'),
  'moonshot.cn': moonshot('CNY'),
  'siliconflow.cn': siliconFlow('CNY'),
  // International accounts (api.siliconflow.com) are billed in US dollars.
  'siliconflow.com': siliconFlow('USD')
}

/** The provider a channel's balance can be read from, by the host of its first base URL that has one. */
export function balanceProviderOf(baseUrls: readonly string[]): { provider: BalanceProvider; baseUrl: string } | null {
  for (const baseUrl of baseUrls) {
    const provider = balanceProviderOfHost(new URL(baseUrl).hostname.toLowerCase())
    if (provider !== null) return { provider, baseUrl }
  }
  return null
}

/** Where the provider answers its balance: its path on the base URL's origin. */
export function balanceUrl(provider: BalanceProvider, baseUrl: string): string {
  return new URL(SPECS[provider].path, new URL(baseUrl).origin).toString()
}

/** Reads the provider's balance answer; null when it does not have the provider's shape. */
export function readBalance(provider: BalanceProvider, body: unknown): ReadBalance | null {
  return SPECS[provider].read(body)
}
