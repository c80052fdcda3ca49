import type { DesktopApi } from '@shared/contract/desktop-api'

declare global {
  interface Window {
    /** The desktop app's bridge (preload/index.ts); absent in a plain browser. */
    cuttleDesktop?: DesktopApi
  }
}
