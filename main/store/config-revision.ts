import { randomUUID } from 'node:crypto'
import type { SettingRepository } from './repositories/setting.repository'

/** The settings row (internal, never shown as a setting) holding the revision. */
const KEY = '_config_revision'

/**
 * The configuration revision instances on one database share: every change to what instances
 * hold in memory (route table, settings, price book) writes a new value after it is committed, and
 * each instance rebuilds when the value it reads differs from the one it last applied. The value
 * is a fresh random token rather than a counter: "differs" is all a reader needs, and an upsert
 * of a token is one portable statement where an increment of a text column is not.
 */
export class ConfigRevision {
  constructor(private readonly settings: Pick<SettingRepository, 'getInternal' | 'setInternal'>) {}

  /** The current revision (a primary-key lookup); null before the first change. */
  read(): Promise<string | null> {
    return this.settings.getInternal(KEY)
  }

  /** Publishes a new revision and returns it. */
  async bump(): Promise<string> {
    const revision = randomUUID()
    await this.settings.setInternal(KEY, revision)
    return revision
  }
}
