import { expect } from 'vitest'
import { ADMIN_API_PREFIX } from '@shared/contract/admin-api'
import { ErrorBodySchema, type ErrorBody } from '@shared/dto/common'

/** An admin API answer as tests inspect it. */
export interface AdminReply {
  status: number
  text: string
  json: unknown
}

/** Calls the admin API of the core at `baseUrl`, with an explicit token (or none) so auth can be tested. */
export async function adminCall(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string } = {}
): Promise<AdminReply> {
  const headers: Record<string, string> = {}
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
  const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))
  if (payload !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${baseUrl}${ADMIN_API_PREFIX}${path}`, { method, headers, body: payload })
  const text = await res.text()
  return { status: res.status, text, json: text ? (JSON.parse(text) as unknown) : null }
}

/** Asserts the status and returns the admin error body. */
export function adminErrorOf(reply: AdminReply, status: number): ErrorBody['error'] {
  expect(reply.status, reply.text).toBe(status)
  return ErrorBodySchema.parse(reply.json).error
}
