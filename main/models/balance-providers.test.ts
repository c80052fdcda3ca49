import { describe, expect, it } from 'vitest'
import { amountOf, balanceProviderOf, balanceUrl, readBalance } from './balance-providers'

describe('balanceProviderOf', () => {
  it('knows each provider by the host of the base URL, whatever its path or case', () => {
    expect(balanceProviderOf(['https://openrouter.ai/api/v1'])).toEqual({ provider: 'openrouter.ai', baseUrl: 'https://openrouter.ai/api/v1' })
    expect(balanceProviderOf(['https://api.deepseek.com'])?.provider).toBe('deepseek.com')
    expect(balanceProviderOf(['https://api.deepseek.com/anthropic'])?.provider).toBe('deepseek.com')
    expect(balanceProviderOf(['https://API.Moonshot.ai/v1'])?.provider).toBe('moonshot.ai')
    expect(balanceProviderOf(['https://api.moonshot.cn/v1'])?.provider).toBe('moonshot.cn')
    expect(balanceProviderOf(['https://api.siliconflow.cn/v1'])?.provider).toBe('siliconflow.cn')
    expect(balanceProviderOf(['https://api.siliconflow.com/v1'])?.provider).toBe('siliconflow.com')
  })

  it('takes the first base URL with a known host, and nothing for other hosts', () => {
    expect(balanceProviderOf(['https://proxy.example.com/v1', 'https://api.deepseek.com'])).toEqual({ provider: 'deepseek.com', baseUrl: 'https://api.deepseek.com' })
    expect(balanceProviderOf(['https://api.openai.com/v1', 'https://api.anthropic.com'])).toBeNull()
    expect(balanceProviderOf(['https://evil-openrouter.ai/api/v1', 'https://deepseek.com', 'https://api.deepseek.com.evil.net'])).toBeNull()
    expect(balanceProviderOf([])).toBeNull()
  })
})

describe('balanceUrl', () => {
  it("puts the provider's path on the base URL's origin", () => {
    expect(balanceUrl('openrouter.ai', 'https://openrouter.ai/api/v1')).toBe('https://openrouter.ai/api/v1/credits')
    expect(balanceUrl('deepseek.com', 'https://api.deepseek.com/v1')).toBe('https://api.deepseek.com/user/balance')
    expect(balanceUrl('moonshot.cn', 'https://api.moonshot.cn/v1')).toBe('https://api.moonshot.cn/v1/users/me/balance')
    expect(balanceUrl('siliconflow.com', 'http://127.0.0.1:9/x')).toBe('http://127.0.0.1:9/v1/user/info')
  })
})

describe('readBalance', () => {
  it('reads each answer shape, amounts sent as strings becoming numbers', () => {
    expect(readBalance('openrouter.ai', { data: { total_credits: 100.5, total_usage: 25.75 } })).toEqual({ amount: 74.75, currency: 'USD', used: 25.75 })
    expect(readBalance('openrouter.ai', { data: { total_credits: 0.3, total_usage: 0.1 } })).toEqual({ amount: 0.2, currency: 'USD', used: 0.1 })
    expect(
      readBalance('deepseek.com', { is_available: false, balance_infos: [{ currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }] })
    ).toEqual({ amount: 110, currency: 'CNY', available: false })
    const moonshot = { code: 0, data: { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 }, scode: '0x0', status: true }
    expect(readBalance('moonshot.ai', moonshot)).toEqual({ amount: 49.58894, currency: 'USD' })
    expect(readBalance('moonshot.cn', moonshot)).toEqual({ amount: 49.58894, currency: 'CNY' })
    const silicon = { code: 20000, message: 'OK', status: true, data: { id: 'u1', balance: '0.88', chargeBalance: '88.00', totalBalance: '88.88' } }
    expect(readBalance('siliconflow.cn', silicon)).toEqual({ amount: 88.88, currency: 'CNY' })
    expect(readBalance('siliconflow.com', silicon)).toEqual({ amount: 88.88, currency: 'USD' })
  })

  it('answers null for an answer without the fields', () => {
    expect(readBalance('openrouter.ai', { data: { total_credits: 5 } })).toBeNull()
    expect(readBalance('deepseek.com', { is_available: true, balance_infos: [] })).toBeNull()
    expect(readBalance('moonshot.ai', { code: 1, data: null })).toBeNull()
    expect(readBalance('siliconflow.cn', { data: { totalBalance: 'lots' } })).toBeNull()
    expect(readBalance('siliconflow.cn', 'nope')).toBeNull()
  })

  it('amountOf takes finite numbers and numeric strings only', () => {
    expect([amountOf(3), amountOf('2.50'), amountOf(' -1 '), amountOf(''), amountOf('x'), amountOf(null), amountOf(Infinity)]).toEqual([3, 2.5, -1, null, null, null, null])
  })
})
