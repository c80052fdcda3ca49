import { pino, type DestinationStream, type Logger } from 'pino'
import type { AppConfig } from './config'

export type { Logger }

/** Field names whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  'key',
  'keys',
  'apiKey',
  'password',
  'token',
  'secret',
  'authorization',
  '*.key',
  '*.keys',
  '*.apiKey',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]'
]

/** JSON-lines logger with secrets redacted, on stdout unless tests pass another destination. */
export function createLogger(level: AppConfig['logLevel'], destination?: DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination)
}
