import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { BalanceProvider } from '@shared/dto/balance'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { HealthRegistry } from '../relay/routing/health'
import { UpstreamClient } from '../relay/upstream-client'
import type { ChannelRecord } from '../store/records'
import { channelFields, FIXED_NOW, movableClock } from '../testing/factories'
import { startFakeJsonServer, startFakeProxy, type FakeJsonServer, type FakeProxy } from '../testing/fake-json-server'
import { BALANCE_CACHE_MS, BalanceService, fetchBalance } from './balance-service'
import type { ProviderAccess, ProviderCallDeps } from './provider-call'

const KEY = 'sk-balance-secret-0123456789'

let upstream: UpstreamClient
let fake: FakeJsonServer
let proxy: FakeProxy
let deps: ProviderCallDeps
const clock = movableClock()
const access: ProviderAccess = { key: KEY, proxy: null, headers: {}, timeouts: {}, secrets: [KEY] }

beforeAll(async () => {
  upstream = new UpstreamClient()
  fake = await startFakeJsonServer()
  proxy = await startFakeProxy(fake.url)
})
afterAll(async () => {
  await upstream.close()
  await proxy.close()
  await fake.close()
})
beforeEach(() => {
  fake.requests.length = 0
  proxy.tunnels.length = 0
  clock.set(FIXED_NOW)
  deps = { upstream, health: new HealthRegistry(clock), settings: () => DEFAULT_SETTINGS }
})

/** Each provider's path and a real answer of it (from its API documentation), with what Cuttle reads. */
const CASES: Array<{ provider: BalanceProvider; path: string; answer: unknown; balance: Record<string, unknown> }> = [
  { provider: 'openrouter.ai', path: '/api/v1/credits', answer: { data: { total_credits: 20, total_usage: 3.25 } }, balance: { amount: 16.75, currency: 'USD', used: 3.25 } },
  {
    provider: 'deepseek.com',
    path: '/user/balance',
    answer: { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }] },
    balance: { amount: 110, currency: 'CNY', available: true }
  },
  {
    provider: 'moonshot.ai',
    path: '/v1/users/me/balance',
    answer: { code: 0, data: { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 }, scode: '0x0', status: true },
    balance: { amount: 49.58894, currency: 'USD' }
  },
  { provider: 'moonshot.cn', path: '/v1/users/me/balance', answer: { code: 0, data: { available_balance: 12.5, voucher_balance: 0, cash_balance: 12.5 }, scode: '0x0', status: true }, balance: { amount: 12.5, currency: 'CNY' } },
  {
    provider: 'siliconflow.cn',
    path: '/v1/user/info',
    answer: { code: 20000, message: 'OK', status: true, data: { id: 'userid', name: 'u', balance: '0.88', status: 'normal', chargeBalance: '88.00', totalBalance: '88.88' } },
    balance: { amount: 88.88, currency: 'CNY' }
  },
  { provider: 'siliconflow.com', path: '/v1/user/info', answer: { code: 20000, message: 'OK', status: true, data: { totalBalance: '5.10' } }, balance: { amount: 5.1, currency: 'USD' } }
]

describe('fetchBalance, provider chosen explicitly', () => {
  it.each(CASES)('reads $provider from GET $path with Bearer auth', async ({ provider, path, answer, balance }) => {
    fake.answer(req => (req.path === path ? { body: answer } : { status: 404, body: {} }))
    const result = await fetchBalance(deps, provider, `${fake.url}/ignored/path`, access, clock)
    expect(result).toEqual({ supported: true, provider, balance: { ...balance, fetchedAt: FIXED_NOW } })
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([`GET ${path}`])
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('answers an error naming the URL and status, never the key', async () => {
    fake.answer(() => ({ status: 401, body: { error: { message: `Authentication Fails, Your api key: ${KEY} is invalid`, type: 'authentication_error' } } }))
    const result = await fetchBalance(deps, 'deepseek.com', fake.url, access, clock)
    expect(result).toEqual({
      supported: true,
      provider: 'deepseek.com',
      error: `HTTP 401 from GET ${fake.url}/user/balance: Authentication Fails, Your api key: [redacted] is invalid`
    })
  })

  it('answers an error for an answer of the wrong shape', async () => {
    fake.answer(() => ({ body: { data: { credits: 'unknown' } } }))
    expect(await fetchBalance(deps, 'openrouter.ai', fake.url, access, clock)).toEqual({
      supported: true,
      provider: 'openrouter.ai',
      error: `GET ${fake.url}/api/v1/credits did not answer a balance in the openrouter.ai shape`
    })
  })
})

describe('BalanceService', () => {
  const channel = (extra: Partial<ChannelRecord> = {}): ChannelRecord => ({
    ...channelFields({ baseUrls: ['http://api.deepseek.com'], keys: [KEY], headers: {}, proxy: proxy.url, timeouts: {} }),
    id: 11,
    createdAt: FIXED_NOW,
    updatedAt: FIXED_NOW,
    ...extra
  })
  const deepseek = (total: string): void => fake.answer(() => ({ body: { is_available: true, balance_infos: [{ currency: 'USD', total_balance: total }] } }))

  it('answers supported: false for a provider without a known balance API, asking nobody', async () => {
    const service = new BalanceService({ ...deps, now: clock })
    expect(await service.forChannel(channel({ baseUrls: ['https://api.openai.com/v1'], proxy: null }))).toEqual({ supported: false })
    expect(fake.requests).toEqual([])
  })

  it('finds the provider by host, goes through the channel proxy, and answers from memory for 60 s', async () => {
    const service = new BalanceService({ ...deps, now: clock })
    deepseek('7.00')
    const first = await service.forChannel(channel())
    expect(first).toEqual({ supported: true, provider: 'deepseek.com', balance: { amount: 7, currency: 'USD', available: true, fetchedAt: FIXED_NOW } })
    expect(proxy.tunnels).toEqual(['api.deepseek.com:80'])
    deepseek('6.00')
    clock.set(FIXED_NOW + BALANCE_CACHE_MS - 1)
    expect(await service.forChannel(channel())).toEqual(first)
    expect(fake.requests).toHaveLength(1)
    clock.set(FIXED_NOW + BALANCE_CACHE_MS)
    expect((await service.forChannel(channel())).balance).toEqual({ amount: 6, currency: 'USD', available: true, fetchedAt: FIXED_NOW + BALANCE_CACHE_MS })
    expect(fake.requests).toHaveLength(2)
  })

  it('fetches anew when the channel changed, even within the same millisecond', async () => {
    const service = new BalanceService({ ...deps, now: clock })
    deepseek('7.00')
    await service.forChannel(channel())
    deepseek('1.00')
    expect((await service.forChannel(channel({ updatedAt: FIXED_NOW + 1 }))).balance?.amount).toBe(1)
    deepseek('2.00')
    expect((await service.forChannel(channel({ updatedAt: FIXED_NOW + 1, keys: ['sk-balance-other-000000000'] }))).balance?.amount).toBe(2)
    expect(fake.requests.map(r => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`, 'Bearer sk-balance-other-000000000'])
  })

  it('does not cache a failure', async () => {
    const service = new BalanceService({ ...deps, now: clock })
    fake.answer(() => ({ status: 503, body: { error: 'busy' } }))
    expect(await service.forChannel(channel())).toEqual({ supported: true, provider: 'deepseek.com', error: 'HTTP 503 from GET http://api.deepseek.com/user/balance: busy' })
    deepseek('3.00')
    expect((await service.forChannel(channel())).balance?.amount).toBe(3)
    expect(fake.requests).toHaveLength(2)
  })
})
