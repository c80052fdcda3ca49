import type { Knex } from 'knex'
import type { SecretBox } from '../../security/secret-box'
import { ApiKeyRepository } from './api-key.repository'
import { ChannelRepository } from './channel.repository'
import { GroupRepository } from './group.repository'
import { PriceRepository } from './price.repository'
import { RateCountRepository } from './rate-count.repository'
import { RequestLogRepository } from './request-log.repository'
import { SettingRepository } from './setting.repository'
import { UsageRepository } from './usage.repository'
import { UserRepository } from './user.repository'

/** Every repository, built over one knex instance. */
export interface Repositories {
  channels: ChannelRepository
  groups: GroupRepository
  apiKeys: ApiKeyRepository
  users: UserRepository
  settings: SettingRepository
  prices: PriceRepository
  usage: UsageRepository
  requestLogs: RequestLogRepository
  rateCounts: RateCountRepository
}

/** Builds the repositories; `box` seals provider keys, `now` stamps rows. */
export function createRepositories(db: Knex, box: SecretBox, now: () => number): Repositories {
  return {
    channels: new ChannelRepository(db, box, now),
    groups: new GroupRepository(db, now),
    apiKeys: new ApiKeyRepository(db, now),
    users: new UserRepository(db, now),
    settings: new SettingRepository(db, now),
    prices: new PriceRepository(db, now),
    usage: new UsageRepository(db),
    requestLogs: new RequestLogRepository(db),
    rateCounts: new RateCountRepository(db)
  }
}
