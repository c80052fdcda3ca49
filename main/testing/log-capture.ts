import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../app/logger'

/** Log lines kept in memory, as written (JSON text), with the production logger's redaction. */
export interface CapturedLog {
  logger: Logger
  /** The stream the lines go to, for code that builds its own logger (runHeadless). */
  destination: Writable
  lines: string[]
  /** The lines parsed. */
  records(): Array<Record<string, unknown>>
}

/** A logger at `level` whose output is kept instead of printed. */
export function captureLog(level: Parameters<typeof createLogger>[0] = 'trace'): CapturedLog {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'))
      done()
    }
  })
  return {
    logger: createLogger(level, destination),
    destination,
    lines,
    records: () => lines.map(line => JSON.parse(line) as Record<string, unknown>)
  }
}
