import type { Knex } from 'knex'

/** One schema step; names sort in the order they run (`YYYYMMDD<A-Z>-description`). */
export interface Migration {
  name: string
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}
