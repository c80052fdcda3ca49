import type { Knex } from 'knex'
import type { z } from 'zod'
import { dbClientOf } from './knex'

/** Stores a value as JSON text (one format on every engine). */
export function toJson(value: unknown): string {
  return JSON.stringify(value)
}

/** Reads a JSON column back, checked against the shape it was written with. */
export function fromJson<T>(text: unknown, schema: z.ZodType<T>): T {
  return schema.parse(typeof text === 'string' ? JSON.parse(text) : text)
}

/** A JSON list column added after its table: NULL in rows written before it means an empty list. */
export function fromJsonList<T>(text: unknown, schema: z.ZodType<T[]>): T[] {
  return text === null || text === undefined ? [] : fromJson(text, schema)
}

/** Booleans come back as 0/1 from SQLite and MySQL. */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1'
}

/** BIGINT comes back as a string from PostgreSQL; epoch milliseconds fit a double exactly. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value)
}

/** Nullable numeric column. */
export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value)
}

/** Inserts one row and returns its id on every engine (MySQL has no RETURNING). */
export async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  if (dbClientOf(db) === 'mysql') {
    const [id] = await db(table).insert(row)
    return toNumber(id)
  }
  const [inserted] = (await db(table).insert(row).returning('id')) as Array<{ id: unknown }>
  return toNumber(inserted?.id)
}

/** A unique-constraint violation, whatever the engine. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const code = (err as { code?: unknown }).code
  return code === '23505' || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
