import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app } from 'electron'
import { createLogger } from '../app/logger'
import { version } from '../../package.json'
import { startDesktop } from './desktop-app'
import { createPrefs } from './prefs'

/**
 * The Electron entry: gathers what only Electron knows (paths, platform, packaged resources) and
 * starts the desktop app. Kept thin: everything it calls is tested with a fake `electron`.
 */
export async function runDesktop(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url))
  // Packaged: tray icons are extraResources next to the asar; in development they sit in build/.
  const resources = app.isPackaged ? process.resourcesPath : join(here, '../../build')
  const tray = (name: string): string => join(resources, 'tray', process.platform === 'darwin' ? `${name}Template.png` : `${name}.png`)
  const logger = createLogger('info')
  try {
    await startDesktop({
      argv,
      env,
      prefs: createPrefs(),
      logger,
      version,
      uiRoot: join(here, '../renderer'),
      preload: join(here, '../preload/index.cjs'),
      icons: { normal: tray('tray'), paused: tray('tray-paused'), errors: tray('tray-errors') },
      platform: process.platform,
      exit: code => app.exit(code),
      onSignal: (signal, handler) => process.once(signal, handler)
    })
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err.stack : String(err) }, 'Cuttle could not start')
    app.exit(1)
  }
}
