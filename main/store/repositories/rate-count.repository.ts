import type { Knex } from 'knex'
import { toNumber } from '../columns'
import { dialectFor } from '../dialects'

/** Which rate a count belongs to: requests (rpm) or tokens (tpm). */
export type RateCountKind = 'r' | 't'

/** What the instances counted together for one client key's rate in one epoch second. */
export interface RateCount {
  apiKeyId: number
  kind: RateCountKind
  second: number
  count: number
}

const TABLE = 'rate_counts'
const KEY_COLUMNS = ['api_key_id', 'kind', 'second'] as const
/** Rows per INSERT: 4 000 bound values, far below every engine's limit however many keys are busy. */
const CHUNK = 1_000

/** Key order, so concurrent pushes from several instances lock rows in the same order and do not deadlock. */
function byKey(a: RateCount, b: RateCount): number {
  return a.apiKeyId - b.apiKeyId || a.kind.localeCompare(b.kind) || a.second - b.second
}

/** The shared per-second rpm and tpm counters of the instances on one database. */
export class RateCountRepository {
  constructor(private readonly db: Knex) {}

  /** Adds `counts` to what is stored for the same key, kind and second, all or nothing. */
  async add(counts: readonly RateCount[]): Promise<void> {
    if (counts.length === 0) return
    const rows = [...counts].sort(byKey).map(c => ({ api_key_id: c.apiKeyId, kind: c.kind, second: c.second, count: c.count }))
    // One transaction: a push that fails halfway would otherwise be added twice when retried.
    await this.db.transaction(async trx => {
      for (let i = 0; i < rows.length; i += CHUNK) await dialectFor(trx).upsertAdd(trx, TABLE, KEY_COLUMNS, ['count'], rows.slice(i, i + CHUNK))
    })
  }

  /** The stored counts of `apiKeyIds` from epoch second `from` on. */
  async since(apiKeyIds: readonly number[], from: number): Promise<RateCount[]> {
    if (apiKeyIds.length === 0) return []
    const rows = (await this.db(TABLE).whereIn('api_key_id', [...apiKeyIds]).andWhere('second', '>=', from).select('api_key_id', 'kind', 'second', 'count')) as Array<Record<string, unknown>>
    return rows.map(row => ({ apiKeyId: toNumber(row.api_key_id), kind: row.kind === 'r' ? 'r' : 't', second: toNumber(row.second), count: toNumber(row.count) }))
  }

  /**
   * Deletes the rows of the oldest seconds before `before`, about `limit` rows (every row of the
   * last second reached goes too); returns how many went. Bounded by a cutoff second rather than
   * DELETE … LIMIT, which PostgreSQL lacks.
   */
  async prune(before: number, limit: number): Promise<number> {
    const oldest = this.db(TABLE).where('second', '<', before).select('second').orderBy('second', 'asc').limit(limit).as('oldest')
    const row = (await this.db.from(oldest).max({ second: 'second' }).first()) as { second: unknown } | undefined
    if (row?.second === null || row?.second === undefined) return 0
    return this.db(TABLE).where('second', '<=', toNumber(row.second)).delete()
  }
}
