import { app, Notification } from 'electron'
import { DESKTOP_CHANNELS, type DesktopPrefs, type RelayStatus } from '@shared/contract/desktop-api'
import type { LiveStats } from '@shared/dto/stats'
import { createCore, type Core } from '../app/container'
import { loadConfig } from '../app/load-config'
import type { Logger } from '../app/logger'
import { readLiveStats } from '../stats/live-stats'
import { firstFreePort } from './free-port'
import { registerIpc } from './ipc'
import { MainWindow } from './main-window'
import type { Prefs } from './prefs'
import { TrayController, type TrayIcons } from './tray'
import { trayText } from './tray-text'

/** Everything the desktop app is started with; bootstrap.ts gathers it from Electron. */
export interface DesktopInput {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  prefs: Prefs
  logger: Logger
  version: string
  uiRoot: string
  preload: string
  icons: TrayIcons
  platform: NodeJS.Platform
  /** Ends the process once the ordered shutdown is done. */
  exit: (code: number) => void
  onSignal: (signal: 'SIGTERM' | 'SIGINT', handler: () => void) => void
}

/** A running desktop app: its core and the way to quit it. */
export interface DesktopApp {
  core: Core
  port: number
  window: MainWindow
  tray: TrayController
  /** The ordered quit (what the tray, the app menu, the OS and SIGTERM all do). */
  quit(): Promise<void>
}

/** A per-launch session token lives this long; the window asks for a fresh one whenever it loads. */
const SESSION_TTL_MS = 12 * 3_600_000

/**
 * The desktop shell around the same core the headless server runs: one instance per user (a
 * second launch only brings the window forward), the relay on 127.0.0.1 (the next free port when
 * the preferred one is taken, said in a notification), a window signed in through a per-launch
 * token, and a tray that keeps Cuttle running when the window closes. Quitting from anywhere
 * takes the core's ordered shutdown: nothing relayed is lost.
 */
export async function startDesktop(input: DesktopInput): Promise<DesktopApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return null
  }
  await app.whenReady()
  const prefs = input.prefs.get()
  const port = await firstFreePort(prefs.port, '127.0.0.1')
  const loaded = loadConfig({
    argv: [...input.argv, '--host', '127.0.0.1', '--port', String(port), '--data-dir', app.getPath('userData')],
    env: input.env,
    cwd: app.getPath('userData')
  })
  if (!loaded.ok) throw new Error(`Invalid configuration: ${loaded.errors.join('; ')}`)
  const core = await createCore(loaded.config, { logger: input.logger, version: input.version, uiRoot: input.uiRoot })
  const baseUrl = `http://127.0.0.1:${core.port}`
  if (core.port !== prefs.port && Notification.isSupported()) {
    new Notification({ title: 'Cuttle', body: `Port ${prefs.port} is in use, so Cuttle listens on ${core.port} this time.` }).show()
  }

  let quitting = false
  let finished = false
  const window = new MainWindow({
    baseUrl,
    preload: input.preload,
    bounds: prefs.windowBounds,
    saveBounds: bounds => input.prefs.set({ windowBounds: bounds }),
    quitting: () => quitting
  })
  const language = (): DesktopPrefs['language'] => input.prefs.get().language
  const tray = new TrayController({
    control: core.control,
    baseUrl,
    port: core.port,
    icons: input.icons,
    platform: input.platform,
    text: () => trayText(language(), app.getLocale()),
    launchAtLogin: () => input.prefs.get().launchAtLogin,
    setLaunchAtLogin: on => {
      input.prefs.set({ launchAtLogin: on })
      app.setLoginItemSettings({ openAtLogin: on })
    },
    openWindow: () => window.show(),
    quit: () => void quit(),
    now: Date.now
  })
  await tray.refreshGroups()

  const status = (live: LiveStats): RelayStatus => ({
    paused: core.control.gate.paused,
    port: core.port,
    inFlight: live.inFlight,
    requestsToday: live.requestsToday,
    errorsToday: live.errorsToday
  })
  // The core's feed sends at most once a second, only on change: the tray never redraws faster.
  const unsubscribeLive = core.liveFeed.subscribe({
    send: json => {
      const live = JSON.parse(json) as LiveStats
      tray.update(live)
      window.send(DESKTOP_CHANNELS.relayStatus, status(live))
    },
    keepalive: () => {},
    close: () => {}
  })
  const unsubscribeGroups = core.routes.onChange(() => void tray.refreshGroups())
  const unsubscribeGate = core.control.gate.onChange(() => tray.update(readLiveStats(core.live, core.stats)))
  const removeIpc = registerIpc({
    session: async () => ({ baseUrl, token: await core.control.issueAdminToken(SESSION_TTL_MS), version: input.version }),
    prefs: input.prefs,
    applyPrefs: next => app.setLoginItemSettings({ openAtLogin: next.launchAtLogin }),
    quit: () => void quit()
  })

  const quit = async (): Promise<void> => {
    if (quitting) return
    quitting = true
    input.logger.info('quitting: draining requests, writing the last stats and logs')
    unsubscribeLive()
    unsubscribeGroups()
    unsubscribeGate()
    removeIpc()
    window.destroy()
    tray.destroy()
    try {
      await core.stop()
    } finally {
      finished = true
      input.exit(0)
    }
  }
  app.on('second-instance', () => window.show())
  app.on('activate', () => window.show())
  // Closing the last window must not quit: Cuttle lives on in the tray.
  app.on('window-all-closed', () => {})
  app.on('before-quit', event => {
    if (finished) return
    event.preventDefault()
    void quit()
  })
  input.onSignal('SIGTERM', () => void quit())
  input.onSignal('SIGINT', () => void quit())
  window.show()
  return { core, port: core.port, window, tray, quit }
}
