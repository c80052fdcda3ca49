import { createHash } from 'node:crypto'
import type { BalanceProvider, ChannelBalance } from '@shared/dto/balance'
import type { ChannelRecord } from '../store/records'
import { balanceProviderOf, balanceUrl, readBalance } from './balance-providers'
import { authHeader, channelAccess, getJson, PROVIDER_CALL_TIMEOUT_MS, ProviderCallError, safeUrl, type ProviderAccess, type ProviderCallDeps } from './provider-call'

/** How long a fetched balance is answered from memory. */
export const BALANCE_CACHE_MS = 60_000

/**
 * Reads one provider's balance at `baseUrl` (Bearer auth with the given key). Always answers:
 * a failure becomes `error`, which names the URL and HTTP status but never the key.
 */
export async function fetchBalance(
  deps: ProviderCallDeps,
  provider: BalanceProvider,
  baseUrl: string,
  access: ProviderAccess,
  now: () => number
): Promise<ChannelBalance> {
  const url = balanceUrl(provider, baseUrl)
  const headers = authHeader('authorization', access.key === null ? null : `Bearer ${access.key}`)
  try {
    const body = await getJson(deps, access, url, headers, AbortSignal.timeout(PROVIDER_CALL_TIMEOUT_MS))
    const balance = readBalance(provider, body)
    if (!balance) return { supported: true, provider, error: `GET ${safeUrl(url)} did not answer a balance in the ${provider} shape` }
    return { supported: true, provider, balance: { ...balance, fetchedAt: now() } }
  } catch (err) {
    if (err instanceof ProviderCallError) return { supported: true, provider, error: err.message }
    throw err
  }
}

/**
 * Channel balances, by the host of the channel's base URL, cached in memory for a minute per
 * channel. A cached answer belongs to one version of the channel (its `updatedAt` and what the
 * call is made with), so any change to the channel fetches anew. Failures are not cached.
 */
export class BalanceService {
  private readonly cache = new Map<number, { version: string; expiresAt: number; answer: ChannelBalance }>()

  constructor(private readonly deps: ProviderCallDeps & { now: () => number }) {}

  /** The channel's balance, `supported: false` when its provider has no balance API Cuttle knows. */
  async forChannel(channel: ChannelRecord): Promise<ChannelBalance> {
    const target = balanceProviderOf(channel.baseUrls)
    if (!target) return { supported: false }
    const version = versionOf(channel)
    const cached = this.cache.get(channel.id)
    if (cached && cached.version === version && cached.expiresAt > this.deps.now()) return cached.answer
    const answer = await fetchBalance(this.deps, target.provider, target.baseUrl, channelAccess(channel, this.deps.health), this.deps.now)
    if (answer.balance) this.cache.set(channel.id, { version, expiresAt: this.deps.now() + BALANCE_CACHE_MS, answer })
    else this.cache.delete(channel.id)
    return answer
  }
}

/** A digest of the channel's version: two edits within one millisecond still differ in content. */
function versionOf(channel: ChannelRecord): string {
  const parts = [channel.updatedAt, channel.baseUrls, channel.keys, channel.proxy, channel.headers]
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
}
