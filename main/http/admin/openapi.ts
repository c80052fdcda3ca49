import { z } from 'zod'
import { ADMIN_API, ADMIN_API_PREFIX, type EndpointDef } from '@shared/contract/admin-api'
import { ErrorBodySchema } from '@shared/dto/common'
import { LiveStatsSchema } from '@shared/dto/stats'
import { SERIES_CSV_PATH } from './analytics.routes'
import { LIVE_STREAM_PATH } from './live-stream.routes'

/** The OpenAPI 3.1 document of the admin API, generated from the shared contract. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const errorResponse = { description: 'Error', content: { 'application/json': { schema: schemaOf(ErrorBodySchema, 'output') } } }
  for (const [name, def] of Object.entries(ADMIN_API) as Array<[string, EndpointDef]>) {
    const path = `${ADMIN_API_PREFIX}${def.path}`.replace(/:(\w+)/g, '{$1}')
    paths[path] ??= {}
    paths[path][def.method.toLowerCase()] = {
      operationId: name,
      summary: def.summary,
      ...(def.public ? { security: [] } : {}),
      ...(def.params || def.query ? { parameters: [...pathParameters(def), ...queryParameters(def)] } : {}),
      ...(def.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(def.body, 'input') } } } }
        : {}),
      responses: {
        [String(def.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(def.res, 'output') } } },
        '400': errorResponse,
        '401': errorResponse,
        '404': errorResponse
      }
    }
  }
  paths[LIVE_STREAM_PATH] = { get: liveStreamOperation(errorResponse) }
  paths[SERIES_CSV_PATH] = {
    get: {
      operationId: 'stats.seriesCsv',
      summary: 'The stats.series answer of the same query as a CSV download (RFC 4180; times in ISO 8601 at the tz offset)',
      parameters: [
        ...queryParameters(ADMIN_API['stats.series']),
        { name: 'token', in: 'query', required: false, description: 'Admin token, for a plain download link', schema: { type: 'string' } }
      ],
      responses: { '200': { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } }, '400': errorResponse, '401': errorResponse }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cuttle admin API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths
  }
}

/** The one route outside the contract: server-sent events, not JSON. */
function liveStreamOperation(errorResponse: object): object {
  return {
    operationId: 'stats.liveStream',
    summary: 'Server-sent events: `event: live` with the stats.live JSON when it changes (at most once a second), `: keepalive` comments otherwise',
    parameters: [
      { name: 'token', in: 'query', required: false, description: 'Admin token, for clients that cannot send headers (EventSource)', schema: { type: 'string' } }
    ],
    responses: {
      '200': {
        description: 'An endless event stream; each `data:` line holds the JSON below',
        content: { 'text/event-stream': { schema: schemaOf(LiveStatsSchema, 'output') } }
      },
      '401': errorResponse
    }
  }
}

function pathParameters(def: EndpointDef): object[] {
  return def.params ? [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }] : []
}

/** One OpenAPI parameter per property of the query schema. */
function queryParameters(def: EndpointDef): object[] {
  if (!def.query) return []
  const schema = z.toJSONSchema(def.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object>; required?: string[] }
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property }))
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): object {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' })
}
