import type { Migration } from './migration'

/**
 * Per-second request and token counts of the client keys, summed over every instance: how
 * instances on one PostgreSQL or MariaDB database share rpm and tpm without Redis. Rows live
 * about two minutes. No foreign key to api_keys: a deleted key's rows age out like any other,
 * and a push never has to wait on the key's row.
 */
export const rateCounts: Migration = {
  name: '20261212A-rate-counts',
  async up(knex) {
    await knex.schema.createTable('rate_counts', table => {
      table.integer('api_key_id').notNullable()
      // 'r' for requests (rpm), 't' for tokens (tpm).
      table.string('kind', 1).notNullable()
      table.bigInteger('second').notNullable() // epoch second
      table.bigInteger('count').notNullable()
      table.primary(['api_key_id', 'kind', 'second'])
      // The periodic prune deletes by age alone.
      table.index(['second'])
    })
  },
  async down(knex) {
    await knex.schema.dropTable('rate_counts')
  }
}
