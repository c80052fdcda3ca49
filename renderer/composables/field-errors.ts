import { ApiError } from '../api/client'

/** The API's field errors by path (`tiers.0.input`), so a form can show each under its field. */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {}
  return Object.fromEntries(err.fields.map(field => [field.path, field.message]))
}
