import type { EndpointQuery } from '@shared/contract/admin-api'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

/** The log filters; they live in the URL query so a link reproduces the view. */
export interface LogFilters {
  from: number | null
  to: number | null
  /** `ok`, `error` or a status code as typed. */
  status: string | null
  channelId: number | null
  apiKeyId: number | null
  model: string
  upstreamModel: string
  requestId: string
}

export const NO_FILTERS: LogFilters = { from: null, to: null, status: null, channelId: null, apiKeyId: null, model: '', upstreamModel: '', requestId: '' }

const STATUS = /^(ok|error|[1-5]\d\d)$/

function text(query: LocationQuery, name: string): string {
  const value = query[name]
  return typeof value === 'string' ? value : ''
}

function id(query: LocationQuery, name: string): number | null {
  const value = Number(text(query, name))
  return text(query, name) !== '' && Number.isInteger(value) && value >= 0 ? value : null
}

/** Filters from the URL query; values that make no sense are ignored rather than sent. */
export function filtersOf(query: LocationQuery): LogFilters {
  const status = text(query, 'status')
  return {
    from: id(query, 'from'),
    to: id(query, 'to'),
    status: STATUS.test(status) ? status : null,
    channelId: id(query, 'channelId'),
    apiKeyId: id(query, 'apiKeyId'),
    model: text(query, 'model'),
    upstreamModel: text(query, 'upstreamModel'),
    requestId: text(query, 'requestId')
  }
}

/** The URL query of some filters (only those that are set). */
export function queryOf(filters: LogFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  for (const [name, value] of Object.entries(filters)) {
    if (value !== null && value !== '') query[name] = String(value)
  }
  return query
}

/** Whether any filter is set. */
export function hasFilters(filters: LogFilters): boolean {
  return Object.keys(queryOf(filters)).length > 0
}

/** The `logs.list` query of some filters. */
export function apiQueryOf(filters: LogFilters): NonNullable<EndpointQuery<'logs.list'>> {
  const trimmed = (value: string): string | undefined => value.trim() || undefined
  return {
    from: filters.from ?? undefined,
    to: filters.to ?? undefined,
    status: filters.status ?? undefined,
    channelId: filters.channelId ?? undefined,
    apiKeyId: filters.apiKeyId ?? undefined,
    model: trimmed(filters.model),
    upstreamModel: trimmed(filters.upstreamModel),
    requestId: trimmed(filters.requestId)
  }
}
