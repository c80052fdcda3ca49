import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runHeadless } from './headless'
import { captureLog } from './testing/log-capture'

const dirs: string[] = []
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

/** Starts the headless entry in this process on `host`, returns its log records after stopping it. */
async function logOfStart(host: string): Promise<Array<Record<string, unknown>>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cuttle-warning-'))
  dirs.push(dataDir)
  const log = captureLog('info')
  const problems: string[] = []
  const core = await runHeadless({
    argv: ['--server', '--host', host, '--port', '0', '--data-dir', dataDir],
    env: { CUTTLE_ADMIN_PASSWORD: 'warning-test-password' },
    cwd: dataDir,
    print: () => undefined,
    printError: line => problems.push(line),
    exit: code => problems.push(`exit ${code}`),
    onSignal: () => undefined,
    log: log.destination
  })
  expect(problems).toEqual([])
  await core?.stop()
  return log.records()
}

describe('start-up warning about the bind address', () => {
  it('bound to every interface: one warning that the admin API and relay are reachable from the network, to put TLS in front', async () => {
    const records = await logOfStart('0.0.0.0')
    const warnings = records.filter(r => r.level === 40)
    expect(warnings).toEqual([
      {
        level: 40,
        time: expect.any(Number),
        host: '0.0.0.0',
        msg: 'listening on a non-loopback address: the admin API and the relay are reachable from the network; put TLS (a reverse proxy) in front of Cuttle'
      }
    ])
    expect(records.some(r => r.msg === 'Cuttle is listening')).toBe(true)
  })

  it('bound to loopback: no warning', async () => {
    const records = await logOfStart('127.0.0.1')
    expect(records.filter(r => r.level === 40)).toEqual([])
    expect(records.some(r => r.msg === 'Cuttle is listening')).toBe(true)
  })
})
