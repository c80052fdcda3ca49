import type { Context } from 'koa'
import getRawBody from 'raw-body'

/** Why a body could not be read. */
export type BodyFailure = { kind: 'too_large' } | { kind: 'invalid_json'; detail: string } | { kind: 'aborted' }

/**
 * Reads the request body up to `limit` bytes and parses it as JSON. An empty body is `undefined`.
 * Reading stops at the limit, so an oversized upload never fills memory.
 */
export async function readJsonBody(
  ctx: Context,
  limit: number
): Promise<{ ok: true; value: unknown; raw: Buffer } | { ok: false; failure: BodyFailure }> {
  let raw: Buffer
  try {
    raw = await getRawBody(ctx.req, { limit, length: ctx.request.length })
  } catch (err) {
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined
    if (type === 'entity.too.large') return { ok: false, failure: { kind: 'too_large' } }
    return { ok: false, failure: { kind: 'aborted' } }
  }
  if (raw.length === 0) return { ok: true, value: undefined, raw }
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown, raw }
  } catch (err) {
    return { ok: false, failure: { kind: 'invalid_json', detail: err instanceof Error ? err.message : String(err) } }
  }
}
