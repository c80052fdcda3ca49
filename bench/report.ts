import { cpus } from 'node:os'
import type { BenchMode, LoadResult } from './load'

/** Who was loaded: the fake provider itself, the bare undici proxy, or Cuttle. */
export type BenchTarget = 'fake-upstream' | 'bare-proxy' | 'cuttle'

/** One line of the report. */
export interface BenchRow extends LoadResult {
  target: BenchTarget
  mode: BenchMode
  /** p50 of this target minus p50 of the bare proxy in the same mode (ms). */
  addedP50Ms: number | null
}

/** Everything one `npm run bench` measured; also written to bench/results/latest.json. */
export interface BenchReport {
  date: string
  node: string
  platform: string
  cpu: { model: string; count: number }
  settings: { connections: number; durationSec: number; warmUpSec: number; workers: number }
  rows: BenchRow[]
  /** Cuttle requests/s ÷ bare proxy requests/s, per mode (1 = as fast as the bare proxy). */
  ratios: Record<BenchMode, number | null>
  /** Sum of errors, timeouts and non-2xx answers over every row. */
  failures: number
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits

/** Adds the added-latency column and the ratios to the raw rows. */
export function buildReport(raw: Array<Omit<BenchRow, 'addedP50Ms'>>, settings: BenchReport['settings']): BenchReport {
  const bare = (mode: BenchMode): Omit<BenchRow, 'addedP50Ms'> | undefined => raw.find(r => r.target === 'bare-proxy' && r.mode === mode)
  const rows = raw.map(r => {
    const base = bare(r.mode)
    return { ...r, requestsPerSec: round(r.requestsPerSec), addedP50Ms: base ? round(r.p50Ms - base.p50Ms) : null }
  })
  const ratio = (mode: BenchMode): number | null => {
    const base = bare(mode)
    const cuttle = raw.find(r => r.target === 'cuttle' && r.mode === mode)
    return base && cuttle && base.requestsPerSec > 0 ? round(cuttle.requestsPerSec / base.requestsPerSec, 3) : null
  }
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: { model: cpu[0]?.model.trim() ?? 'unknown', count: cpu.length },
    settings,
    rows,
    ratios: { json: ratio('json'), stream: ratio('stream') },
    failures: rows.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0)
  }
}

const COLUMNS: Array<{ title: string; cell: (r: BenchRow) => string }> = [
  { title: 'target', cell: r => r.target },
  { title: 'mode', cell: r => r.mode },
  { title: 'req/s', cell: r => r.requestsPerSec.toFixed(0) },
  { title: 'p50 ms', cell: r => String(r.p50Ms) },
  { title: 'p99 ms', cell: r => String(r.p99Ms) },
  { title: '+p50 vs bare', cell: r => (r.addedP50Ms === null ? '-' : `${r.addedP50Ms >= 0 ? '+' : ''}${r.addedP50Ms}`) },
  { title: 'errors', cell: r => String(r.errors + r.timeouts) },
  { title: 'non-2xx', cell: r => String(r.non2xx) },
  { title: 'RSS MB', cell: r => r.rssMb.toFixed(0) },
  { title: 'peak RSS MB', cell: r => r.peakRssMb.toFixed(0) }
]

/** The report as an aligned text table followed by the ratio lines. */
export function formatTable(report: BenchReport): string {
  const cells = report.rows.map(r => COLUMNS.map(c => c.cell(r)))
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map(row => (row[i] ?? '').length)))
  const line = (values: string[]): string => values.map((v, i) => (i < 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ')
  const ratio = (mode: BenchMode): string => {
    const r = report.ratios[mode]
    return r === null ? 'n/a' : r.toFixed(3)
  }
  return [
    line(COLUMNS.map(c => c.title)),
    line(widths.map(w => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `Cuttle req/s ÷ bare proxy req/s: json ${ratio('json')}, stream ${ratio('stream')}`,
    `${report.settings.connections} connections, ${report.settings.durationSec} s per run (+${report.settings.warmUpSec} s warm-up), ${report.settings.workers} autocannon worker(s), node ${report.node}, ${report.cpu.count} × ${report.cpu.model}`
  ].join('\n')
}
