import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests against the built app (`npm run build` first): each worker starts
 * `node out/main/index.js --server` on a free port (e2e/fixtures/headless-server.ts) and drives
 * Debian's Chromium. Specs save screenshots to e2e/screenshots/.
 */
export default defineConfig({
  testDir: 'e2e',
  // One worker: every worker boots its own Cuttle server (Node + SQLite) next to a Chromium, and
  // the CI machine has 2 cores; parallel workers would only compete for CPU and make the bounded
  // server start-up flaky.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    viewport: { width: 1024, height: 720 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's package; `npx playwright install` downloads are not available here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync'
      ]
    }
  }
})
