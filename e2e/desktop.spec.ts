import { existsSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test } from '@playwright/test'

/**
 * The real desktop app, where Electron's binary is installed (its npm package downloads it on
 * first use, which this environment's network does not allow). Elsewhere the spec says why it
 * skipped; the shell's logic is covered by main/desktop/*.test.ts against a fake `electron`.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
const binaryPresent = existsSync(join(electronDir, 'path.txt'))

test.describe('desktop app (Electron)', () => {
  test.skip(!binaryPresent, `Electron's binary is not installed (${join(electronDir, 'path.txt')} is missing): run \`npx electron --version\` once with network access to fetch it`)

  test('opens the window signed in, keeps running in the tray when it closes, and quits cleanly', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'cuttle-electron-'))
    const app = await electron.launch({ args: [join(ROOT, 'out/main/index.js'), `--user-data-dir=${userData}`], cwd: ROOT, env: { ...process.env, CUTTLE_ADMIN_PASSWORD: 'electron-e2e-password' } })
    const window = await app.firstWindow()
    await expect(window).toHaveTitle('Cuttle')
    // Signed in by the per-launch token: the dashboard's shell shows, not the sign-in page.
    await expect(window.getByTestId('live-counters')).toBeVisible({ timeout: 15_000 })
    // Locked down: no Node in the page, only the typed bridge of the preload.
    expect(await window.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
    expect(await window.evaluate(() => Object.keys((globalThis as { cuttleDesktop?: object }).cuttleDesktop ?? {}).sort())).toEqual(['getPrefs', 'getSession', 'onRelayStatus', 'openExternal', 'quit', 'setPrefs'])
    await window.close()
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isReady())).toBe(true)
    const exited = new Promise<void>(resolve => app.process().once('exit', () => resolve()))
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    await exited
    expect(app.process().exitCode).toBe(0)
  })
})
