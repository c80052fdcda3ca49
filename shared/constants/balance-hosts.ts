import type { BalanceProvider } from '../dto/balance'

/**
 * API hosts whose account balance Cuttle can read, and whose reader each one uses. The server
 * reads balances by it (main/models/balance-providers.ts); the UI offers the action by it.
 */
const BALANCE_HOSTS = {
  'openrouter.ai': 'openrouter.ai',
  'api.deepseek.com': 'deepseek.com',
  'api.moonshot.ai': 'moonshot.ai',
  'api.moonshot.cn': 'moonshot.cn',
  'api.siliconflow.cn': 'siliconflow.cn',
  'api.siliconflow.com': 'siliconflow.com'
} as const satisfies Record<string, BalanceProvider>

// A provider added to the contract but not here fails to compile.
const everyProviderListed: Exclude<BalanceProvider, (typeof BALANCE_HOSTS)[keyof typeof BALANCE_HOSTS]> extends never ? true : never = true
void everyProviderListed

/** The balance reader of a lower-case API host name, or null when it has none. */
export function balanceProviderOfHost(host: string): BalanceProvider | null {
  return Object.hasOwn(BALANCE_HOSTS, host) ? BALANCE_HOSTS[host as keyof typeof BALANCE_HOSTS] : null
}
