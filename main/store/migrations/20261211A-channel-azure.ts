import type { Migration } from './migration'

/**
 * Azure OpenAI options of a channel (JSON text). NULL is a channel addressed the way its type
 * says, which is every row written before this step, so none needs a backfill.
 */
export const channelAzure: Migration = {
  name: '20261211A-channel-azure',
  async up(knex) {
    await knex.schema.alterTable('channels', table => {
      table.text('azure').nullable()
    })
  },
  async down(knex) {
    await knex.schema.alterTable('channels', table => {
      table.dropColumn('azure')
    })
  }
}
