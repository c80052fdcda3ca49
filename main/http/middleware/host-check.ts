import { isIP } from 'node:net'
import type { Middleware } from 'koa'
import { ErrorCode } from '@shared/constants/error-code'

/** Host names (without port) that always mean this machine. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']
/** Accepted Host header values remembered for the one-compare fast path; a bound keeps memory flat. */
const REMEMBERED_LIMIT = 32

/** Whether a bind address (`--host`) is reachable only from this machine. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'))
}

/**
 * The DNS-rebinding guard: a page on evil.example whose name is re-pointed at 127.0.0.1 reaches
 * a loopback server, but its requests still say `Host: evil.example`. So when Cuttle listens on
 * loopback only loopback names are answered; `allowedHosts` (comma-separated names, CUTTLE_ALLOWED_HOSTS)
 * adds names (a reverse proxy that passes its own Host on) and turns the check on for any bind
 * address, and `*` turns it off. Decided once here: null means no middleware at all.
 */
export function hostCheck(bindHost: string, allowedHosts: string | null): Middleware | null {
  const listed = allowedHosts === null ? [] : allowedHosts.split(',').map(name => normalizeName(name.trim())).filter(name => name !== '')
  if (listed.includes('*')) return null
  if (listed.length === 0 && !isLoopbackAddress(bindHost)) return null
  const allowed = new Set([...LOOPBACK_NAMES, ...listed])
  const remembered = new Set<string>()
  const names = [...allowed].join(', ')
  // Not async: one promise fewer per request on the relay's path; next()'s promise is returned as is.
  return (ctx, next) => {
    // The header exactly as sent: nearly every request repeats one already seen, one Set lookup.
    const host = ctx.req.headers.host
    if (host !== undefined && remembered.has(host)) return next()
    if (host !== undefined && allowed.has(hostName(host))) {
      if (remembered.size < REMEMBERED_LIMIT) remembered.add(host)
      return next()
    }
    ctx.status = 403
    ctx.body = {
      error: {
        code: ErrorCode.HostNotAllowed,
        message:
          `Host ${JSON.stringify((host ?? '').slice(0, 100))} is not served here: this Cuttle answers only requests for ${names} ` +
          '(a guard against DNS rebinding). Add the name to CUTTLE_ALLOWED_HOSTS to allow it.'
      }
    }
  }
}

/** The name part of a Host header, lower-case: `Example.com:7878` → `example.com`, `[::1]:7878` → `[::1]`. */
function hostName(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':')
  return (end > 0 ? host.slice(0, end) : host).toLowerCase()
}

/** A configured name in the form hostName() produces: IPv6 addresses get their brackets. */
function normalizeName(name: string): string {
  const lower = name.toLowerCase()
  return isIP(lower) === 6 ? `[${lower}]` : lower
}
