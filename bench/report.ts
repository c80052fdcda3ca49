import { cpus, totalmem } from 'node:os'
import type { LatencyResult } from './latency'
import type { BenchMode, LoadResult } from './load'
import type { OpenStreamsResult } from './open-streams'

/** Who was loaded: the fake provider itself, the bare undici proxy, or Cuttle. */
export type BenchTarget = 'fake-upstream' | 'bare-proxy' | 'cuttle'

/** One line of the throughput table. */
export interface BenchRow extends LoadResult {
  target: BenchTarget
  mode: BenchMode
  /** p50 of this target minus p50 of the bare proxy in the same mode (ms). */
  addedP50Ms: number | null
}

/** One figure of the relay-engine issue, with the measured value and whether it was met. */
export interface Figure {
  name: string
  target: string
  measured: string
  met: boolean
}

/** Everything one `npm run bench` measured; also written to bench/results/latest.json. */
export interface BenchReport {
  date: string
  node: string
  platform: string
  cpu: { model: string; count: number }
  memoryGb: number
  settings: {
    connections: number
    durationSec: number
    warmUpSec: number
    workers: number
    /** Runs per target and mode, bare proxy and Cuttle taking turns. */
    rounds: number
    latencyRequests: number
    openStreams: number
    statsRequests: number
  }
  rows: BenchRow[]
  /** Cuttle requests/s ÷ bare proxy requests/s, per mode (1 = as fast as the bare proxy). */
  ratios: Record<BenchMode, number | null>
  /** One request at a time, bare proxy and Cuttle, per mode. */
  latency: Array<{ mode: BenchMode; bare: LatencyResult; cuttle: LatencyResult }>
  /** Exactly `statsRequests` requests through Cuttle against what it stored. */
  stats: {
    served: number
    failed: number
    storedRequests: number
    storedInputTokens: number
    storedOutputTokens: number
    expectedInputTokens: number
    expectedOutputTokens: number
  }
  openStreams: OpenStreamsResult
  figures: Figure[]
  /** Sum of errors, timeouts and non-2xx answers over every throughput row. */
  failures: number
}

/** Measurements that are not throughput rows. */
export type Extras = Pick<BenchReport, 'latency' | 'stats' | 'openStreams'>

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits

/** The figures (ratios in the same run, 2 cores) checked against the measurements. */
function figures(ratios: BenchReport['ratios'], extras: Extras): Figure[] {
  const out: Figure[] = []
  for (const mode of ['json', 'stream'] as const) {
    const r = ratios[mode]
    out.push({ name: `${mode} throughput ratio`, target: '≥ 0.6 × bare proxy', measured: r === null ? 'n/a' : r.toFixed(3), met: r !== null && r >= 0.6 })
  }
  for (const { mode, bare, cuttle } of extras.latency) {
    const p50 = round(cuttle.p50Ms - bare.p50Ms, 3)
    const p99 = round(cuttle.p99Ms - bare.p99Ms, 3)
    out.push({ name: `added p50 at concurrency 1 (${mode})`, target: '≤ 0.5 ms', measured: `${p50} ms`, met: p50 <= 0.5 })
    out.push({ name: `added p99 at concurrency 1 (${mode})`, target: '≤ 2 ms', measured: `${p99} ms`, met: p99 <= 2 })
  }
  const s = extras.openStreams
  out.push({ name: `${s.streams} concurrent open streams`, target: 'RSS ≤ 300 MB, no errors', measured: `peak RSS ${s.peakRssMb} MB, ${s.errors} errors`, met: s.peakRssMb <= 300 && s.errors === 0 })
  const t = extras.stats
  const exact = t.failed === 0 && t.storedRequests === t.served && t.storedInputTokens === t.expectedInputTokens && t.storedOutputTokens === t.expectedOutputTokens
  out.push({
    name: `stats of ${t.served} requests`,
    target: 'usage_hourly sums = served',
    measured: `${t.storedRequests} requests, ${t.storedInputTokens}/${t.expectedInputTokens} input, ${t.storedOutputTokens}/${t.expectedOutputTokens} output tokens`,
    met: exact
  })
  return out
}

/** Adds the added-latency column, the ratios and the figures to the raw measurements. */
export function buildReport(raw: Array<Omit<BenchRow, 'addedP50Ms'>>, settings: BenchReport['settings'], extras: Extras): BenchReport {
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
  const ratios = { json: ratio('json'), stream: ratio('stream') }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: { model: cpu[0]?.model.trim() ?? 'unknown', count: cpu.length },
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    settings,
    rows,
    ratios,
    ...extras,
    figures: figures(ratios, extras),
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

/** Aligned text table of string cells; the first `left` columns are left-aligned. */
function table(header: string[], cells: string[][], left: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(row => (row[i] ?? '').length)))
  const line = (values: string[]): string => values.map((v, i) => (i < left ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ')
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...cells.map(line)]
}

/** The report as text: throughput table, latency, figures. */
export function formatTable(report: BenchReport): string {
  const throughput = table(
    COLUMNS.map(c => c.title),
    report.rows.map(r => COLUMNS.map(c => c.cell(r))),
    2
  )
  const latency = table(
    ['mode (c=1)', 'bare p50', 'bare p99', 'cuttle p50', 'cuttle p99'],
    report.latency.map(l => [l.mode, `${l.bare.p50Ms} ms`, `${l.bare.p99Ms} ms`, `${l.cuttle.p50Ms} ms`, `${l.cuttle.p99Ms} ms`]),
    1
  )
  const figs = table(
    ['figure', 'target', 'measured', ''],
    report.figures.map(f => [f.name, f.target, f.measured, f.met ? 'met' : 'MISSED']),
    4
  )
  return [
    ...throughput,
    '',
    ...latency,
    '',
    ...figs,
    '',
    `${report.settings.connections} connections, ${report.settings.rounds} × ${report.settings.durationSec} s per target and mode (+${report.settings.warmUpSec} s warm-up), ${report.settings.workers} autocannon worker(s), node ${report.node}, ${report.cpu.count} × ${report.cpu.model}, ${report.memoryGb} GB`
  ].join('\n')
}
