/** Wire protocols Cuttle speaks; a channel's type is the protocol its upstream expects. */
export const CHANNEL_TYPES = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

/** How a group orders the members of one priority tier. */
export const BALANCE_MODES = ['round-robin', 'random', 'weighted', 'failover'] as const
export type BalanceMode = (typeof BALANCE_MODES)[number]
