const count = new Intl.NumberFormat('en-US')
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 })
const pad = (n: number): string => String(n).padStart(2, '0')

/** Local time of a log row: the time of day today, with the date on older rows. */
export function formatTime(ms: number, now = Date.now()): string {
  const at = new Date(ms)
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  if (new Date(now).toDateString() === at.toDateString()) return clock
  return `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock}`
}

/** Full local date and time, for the detail view. */
export function formatDateTime(ms: number): string {
  const at = new Date(ms)
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`
}

/** A duration: milliseconds below a second, seconds above. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—'
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

/** A token count with thousands separators. */
export function formatCount(value: number): string {
  return count.format(value)
}

/** A request's cost in USD: small costs keep their significant digits. */
export function formatCost(usd: number): string {
  return usd >= 1 ? dollars.format(usd) : cents.format(usd)
}

/** Tag colour of an HTTP status. */
export function statusType(status: number): 'success' | 'warning' | 'error' | 'default' {
  if (status < 400) return 'success'
  if (status === 429 || status < 500) return 'warning'
  return 'error'
}
