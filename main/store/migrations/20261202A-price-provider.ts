import type { Migration } from './migration'

/**
 * Prices for pricing by models.dev: the provider a models.dev price is listed under (one model id
 * has different prices at different providers), and cache prices that may be unknown (NULL: the
 * input price applies, where 0 would wrongly make cache reads free). One models.dev price per
 * (provider, model): the unique index also stops two instances seeding the same prices; user and
 * channel prices have no provider, and NULLs never collide in a unique index on any engine.
 */
export const priceProvider: Migration = {
  name: '20261202A-price-provider',
  async up(knex) {
    await knex.schema.alterTable('prices', table => {
      table.string('provider', 64).nullable()
      table.double('cache_read').nullable().alter()
      table.double('cache_write').nullable().alter()
      table.index(['source'], 'prices_source')
      table.unique(['source', 'provider', 'model'], { indexName: 'prices_source_provider_model' })
    })
  },
  async down(knex) {
    await knex('prices').whereNull('cache_read').update({ cache_read: 0 })
    await knex('prices').whereNull('cache_write').update({ cache_write: 0 })
    await knex.schema.alterTable('prices', table => {
      table.dropUnique(['source', 'provider', 'model'], 'prices_source_provider_model')
      table.dropIndex(['source'], 'prices_source')
      table.dropColumn('provider')
      table.double('cache_read').notNullable().defaultTo(0).alter()
      table.double('cache_write').notNullable().defaultTo(0).alter()
    })
  }
}
