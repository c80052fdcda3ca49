import type { Migration } from './migration'

/**
 * Antigravity options of a channel (JSON text sealed with the secret box: it holds the OAuth
 * client secret). NULL is a channel addressed the way its type says, which is every row written
 * before this step, so none needs a backfill.
 */
export const channelAntigravity: Migration = {
  name: '20261213A-channel-antigravity',
  async up(knex) {
    await knex.schema.alterTable('channels', table => {
      table.text('antigravity').nullable()
    })
  },
  async down(knex) {
    await knex.schema.alterTable('channels', table => {
      table.dropColumn('antigravity')
    })
  }
}
