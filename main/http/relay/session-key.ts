import type { Context } from 'koa'

type Body = Record<string, unknown>

/** Longer values are cut: they only need to tell conversations apart, and the pins are kept in memory. */
const MAX_CHARS = 200

/** Claude Code before v2.1.78: `user_<hash>_account_<uuid>_session_<uuid>`. */
const LEGACY_SESSION = /_session_([\w-]+)$/
/** Claude Code since v2.1.78: a JSON text `{"device_id":…,"account_uuid":…,"session_id":…}`, read without parsing it. */
const JSON_SESSION = /"session_id"\s*:\s*"([^"\\]+)"/

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_CHARS) : null
}

function prefixed(kind: string, value: string | null): string | null {
  return value === null ? null : `${kind}:${value}`
}

/** The session a body names (its fields are read, never the body parsed again); null when none. */
export function bodySession(body: Body): string | null {
  const metadata = body.metadata
  const userId = typeof metadata === 'object' && metadata !== null ? text((metadata as Body).user_id) : null
  if (userId !== null) {
    const session = (LEGACY_SESSION.exec(userId) ?? JSON_SESSION.exec(userId))?.[1]
    // Any other client's metadata.user_id names a user, which is as good a conversation key as OpenAI's `user`.
    return session === undefined ? `user:${userId}` : `claude:${session}`
  }
  return prefixed('cache', text(body.prompt_cache_key)) ?? prefixed('user', text(body.user)) ?? prefixed('resp', text(body.previous_response_id))
}

/**
 * The conversation a request belongs to, as sticky routing keys it: the first of a client-chosen
 * `x-cuttle-session`, Claude Code's session (its `x-claude-code-session-id` header or the one in
 * `metadata.user_id`), OpenAI's `prompt_cache_key`, a user id, a Responses `previous_response_id`
 * (`fromBody` holds the body's part). Kinds are prefixed so values of different fields never meet.
 */
export function requestSession(ctx: Context, fromBody: string | null): string | null {
  return prefixed('client', text(ctx.get('x-cuttle-session'))) ?? prefixed('claude', text(ctx.get('x-claude-code-session-id'))) ?? fromBody
}
