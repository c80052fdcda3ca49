import { initialSchema } from './20261122A-initial-schema'
import { usageByUpstreamModel } from './20261130A-usage-by-upstream-model'
import { requestLogIndexes } from './20261201A-request-log-indexes'
import { priceProvider } from './20261202A-price-provider'
import { errorRules } from './20261210A-error-rules'
import { channelAzure } from './20261211A-channel-azure'
import { rateCounts } from './20261212A-rate-counts'
import { channelAntigravity } from './20261213A-channel-antigravity'
import type { Migration } from './migration'

/** Every migration, listed statically so the bundled app needs no directory scan. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, usageByUpstreamModel, requestLogIndexes, priceProvider, errorRules, channelAzure, rateCounts, channelAntigravity]
