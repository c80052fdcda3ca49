// Renders the app icon and the tray icons from the SVG drawings below with Debian's Chromium
// (`npm run icons`); the PNGs are committed, so packaging needs neither this script nor a browser.
// electron-builder turns build/icon.png (1024 px) into the macOS .icns and the Windows .ico.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const BLUE = '#3b6ef5'
const out = (name: string): string => fileURLToPath(new URL(name, import.meta.url))

/** The mark: an open ring (a "C", and a cuttlefish's eye) with a dot; `ink` draws, `plate` fills behind. */
function mark(ink: string, plate: string | null, badge: 'paused' | 'errors' | null): string {
  const plateRect = plate === null ? '' : `<rect x="4" y="4" width="92" height="92" rx="22" fill="${plate}"/>`
  const ring = `<path d="M70 30 A28 28 0 1 0 70 70" fill="none" stroke="${ink}" stroke-width="13" stroke-linecap="round"/>`
  const dot = `<circle cx="55" cy="50" r="8" fill="${ink}"/>`
  const extra =
    badge === 'paused'
      ? `<rect x="66" y="62" width="9" height="30" rx="3" fill="${plate === null ? ink : '#f5a524'}"/><rect x="82" y="62" width="9" height="30" rx="3" fill="${plate === null ? ink : '#f5a524'}"/>`
      : badge === 'errors'
        ? `<circle cx="80" cy="80" r="16" fill="${plate === null ? ink : '#e5484d'}"/>`
        : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">${plateRect}${ring}${dot}${extra}</svg>`
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
async function render(svg: string, size: number, file: string): Promise<void> {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`)
  writeFileSync(out(file), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }))
}
await render(mark('#ffffff', BLUE, null), 1024, 'icon.png')
for (const [name, badge] of [['tray', null], ['tray-paused', 'paused'], ['tray-errors', 'errors']] as const) {
  // Windows and Linux: the coloured mark. macOS: black template images the menu bar recolours.
  await render(mark('#ffffff', badge === 'paused' ? '#7a7f8c' : BLUE, badge), 32, `tray/${name}.png`)
  await render(mark('#000000', null, badge), 16, `tray/${name}Template.png`)
  await render(mark('#000000', null, badge), 32, `tray/${name}Template@2x.png`)
}
await browser.close()
