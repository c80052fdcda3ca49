import type { Middleware } from 'koa'

/**
 * The policy of the built Vue UI: its scripts are files under /assets (no inline script, no eval),
 * Naive UI injects <style> elements at run time (hence 'unsafe-inline' for styles only), the
 * favicon is a data: URL and the API is same-origin. Nothing may frame the page (clickjacking).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'"
].join('; ')

const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY'
}

/**
 * Browser hardening for the UI and the admin API. Placed behind the relay's dispatcher, so
 * relayed answers (read by programs, not browsers) stay lean. Set before the handlers run, so
 * error answers carry them too.
 */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set(HEADERS)
    await next()
  }
}
