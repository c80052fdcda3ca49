import Store from 'electron-store'
import { DEFAULT_DESKTOP_PREFS, type DesktopPrefs } from '@shared/contract/desktop-api'

/** The desktop preferences: read whole, changed in part. */
export interface Prefs {
  get(): DesktopPrefs
  set(changes: Partial<DesktopPrefs>): DesktopPrefs
}

/** JSON schema electron-store validates the file against (a hand-edited bad value is reset, not fatal). */
const SCHEMA = {
  port: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_DESKTOP_PREFS.port },
  launchAtLogin: { type: 'boolean', default: DEFAULT_DESKTOP_PREFS.launchAtLogin },
  theme: { enum: ['system', 'light', 'dark'], default: DEFAULT_DESKTOP_PREFS.theme },
  language: { enum: ['system', 'en', 'zh'], default: DEFAULT_DESKTOP_PREFS.language },
  windowBounds: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        properties: { x: { type: 'integer' }, y: { type: 'integer' }, width: { type: 'integer', minimum: 400 }, height: { type: 'integer', minimum: 300 } },
        required: ['width', 'height']
      }
    ],
    default: null
  }
} as const

/**
 * electron-store in the app's userData folder, with migrations by app version: 0.1.0 is the first
 * schema (earlier development builds kept the window size under `bounds`).
 */
export function createPrefs(): Prefs {
  const store = new Store<DesktopPrefs>({
    name: 'preferences',
    schema: SCHEMA,
    clearInvalidConfig: true,
    migrations: {
      '0.1.0': migration => {
        const legacy = migration.get('bounds' as keyof DesktopPrefs)
        // Defaults are in place before migrations run, so "not set yet" reads as null here.
        if (legacy !== undefined && migration.get('windowBounds') === null) migration.set('windowBounds', legacy as DesktopPrefs['windowBounds'])
        migration.delete('bounds' as keyof DesktopPrefs)
      }
    }
  })
  const read = (): DesktopPrefs => ({
    port: store.get('port'),
    launchAtLogin: store.get('launchAtLogin'),
    theme: store.get('theme'),
    language: store.get('language'),
    windowBounds: store.get('windowBounds')
  })
  return {
    get: read,
    set(changes) {
      store.set({ ...read(), ...changes })
      return read()
    }
  }
}
