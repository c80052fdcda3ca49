import { z } from 'zod'
import { EpochMsSchema } from './common'

/** Providers whose account balance Cuttle can read, named after their API hosts. */
export const BALANCE_PROVIDERS = ['openrouter.ai', 'deepseek.com', 'moonshot.ai', 'moonshot.cn', 'siliconflow.cn', 'siliconflow.com'] as const
export type BalanceProvider = (typeof BALANCE_PROVIDERS)[number]

/** An account balance as the provider reported it. */
export const BalanceSchema = z.object({
  /** What is left to spend. */
  amount: z.number(),
  /** ISO currency code (`USD`, `CNY`). */
  currency: z.string(),
  /** Spent so far, when the provider says. */
  used: z.number().optional(),
  /** Whether the provider still serves requests on this balance, when it says. */
  available: z.boolean().optional(),
  /** When it was read from the provider (answers are cached for a minute). */
  fetchedAt: EpochMsSchema
})
export type Balance = z.infer<typeof BalanceSchema>

/** Answer of `GET /api/v1/channels/:id/balance`: unsupported, a balance, or why it could not be read. */
export const ChannelBalanceSchema = z.object({
  supported: z.boolean(),
  provider: z.enum(BALANCE_PROVIDERS).optional(),
  balance: BalanceSchema.optional(),
  error: z.string().optional()
})
export type ChannelBalance = z.infer<typeof ChannelBalanceSchema>
