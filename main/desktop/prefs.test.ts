import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_DESKTOP_PREFS } from '@shared/contract/desktop-api'
import { saved } from '../testing/fake-electron-store'
import { createPrefs } from './prefs'

describe('desktop preferences', () => {
  beforeEach(() => saved.clear())

  it('start from the defaults and keep what is set, field by field', () => {
    const prefs = createPrefs()
    expect(prefs.get()).toEqual(DEFAULT_DESKTOP_PREFS)
    expect(prefs.set({ theme: 'dark', launchAtLogin: true })).toEqual({ ...DEFAULT_DESKTOP_PREFS, theme: 'dark', launchAtLogin: true })
    expect(createPrefs().get()).toMatchObject({ theme: 'dark', launchAtLogin: true, port: 7878 })
  })

  it('migrate the window size an early build kept under `bounds`', () => {
    saved.set('preferences', { bounds: { width: 1300, height: 900 } })
    expect(createPrefs().get().windowBounds).toEqual({ width: 1300, height: 900 })
    expect(saved.get('preferences')).not.toHaveProperty('bounds')
  })
})
