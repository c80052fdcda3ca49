import { ADMIN_PASSWORD, startHeadlessServer, stopHeadlessServer } from './fixtures/headless-server'
import { expect, screenshots, signIn, test } from './fixtures/cuttle'

interface Settings {
  maxAttempts: number
  logRetentionDays: number
  pricesSyncUrl: string
}

test.describe('settings', () => {
  test('sends only the changed fields, stores them, and shows the API errors on their fields', async ({ page, admin }) => {
    const before = await admin.call<Settings>('GET', '/settings')
    try {
      await signIn(page)
      await page.getByTestId('nav-settings').click()
      const maxAttempts = page.getByTestId('setting-maxAttempts')
      await expect(maxAttempts.locator('input')).toHaveValue(String(before.maxAttempts))
      await expect(page.getByTestId('setting-firstByteTimeoutMs')).toContainText('= 2 min')
      await expect(page.getByTestId('settings-save')).toBeDisabled()

      const patches: unknown[] = []
      page.on('request', request => {
        if (request.method() === 'PATCH' && request.url().endsWith('/api/v1/settings')) patches.push(request.postDataJSON())
      })
      await maxAttempts.locator('input').fill('5')
      await expect(page.getByTestId('settings-bar')).toContainText('1 unsaved change')
      await expect(maxAttempts).toContainText('changed')
      await page.getByTestId('settings-save').click()
      await expect(page.getByText('Saved', { exact: true })).toBeVisible()
      await expect(page.getByTestId('settings-bar')).toContainText('No unsaved changes')
      expect(patches).toEqual([{ maxAttempts: 5 }])
      expect((await admin.call<Settings>('GET', '/settings')).maxAttempts).toBe(5)

      // Values the API refuses come back on their fields; nothing is stored.
      await maxAttempts.locator('input').fill('50')
      const url = page.getByTestId('setting-pricesSyncUrl')
      await url.locator('input').fill('not a url')
      await page.getByTestId('settings-save').click()
      await expect(maxAttempts.locator('.n-form-item-feedback--error')).toContainText('20')
      await expect(url.locator('.n-form-item-feedback--error')).toHaveText('must be an http(s) URL')
      const stored = await admin.call<Settings>('GET', '/settings')
      expect([stored.maxAttempts, stored.pricesSyncUrl]).toEqual([5, before.pricesSyncUrl])
      await screenshots(page, 'settings')

      await page.getByTestId('settings-discard').click()
      await expect(maxAttempts.locator('input')).toHaveValue('5')
      await expect(url.locator('.n-form-item-feedback--error')).toHaveCount(0)

      // A wrong current password is reported on its field and changes nothing.
      await page.getByTestId('password-current').locator('input').fill('not-the-password')
      await page.getByTestId('password-new').locator('input').fill('a-new-password-123')
      await page.getByTestId('password-repeat').locator('input').fill('a-new-password-123')
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-card')).toContainText('is not the current password')
    } finally {
      await admin.call('PATCH', '/settings', { maxAttempts: before.maxAttempts })
    }
  })

  test('changing the password keeps this session on a new token and ends the old one', async ({ browser }) => {
    // Its own server: the change revokes every older token, the shared fixtures' too.
    const { server, child } = await startHeadlessServer()
    const page = await browser.newPage({ baseURL: server.url })
    try {
      await page.goto('/sign-in')
      await page.getByTestId('password').locator('input').fill(ADMIN_PASSWORD)
      await page.getByTestId('sign-in').click()
      await expect(page.getByTestId('live-counters')).toBeVisible()
      await page.goto('/settings')
      const oldToken = await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")

      await page.getByTestId('password-current').locator('input').fill(ADMIN_PASSWORD)
      await page.getByTestId('password-new').locator('input').fill('short')
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-card')).toContainText('At least 12 characters')
      await page.getByTestId('password-new').locator('input').fill('a-brand-new-password')
      await page.getByTestId('password-repeat').locator('input').fill('a-brand-new-password')
      await page.getByTestId('password-submit').click()
      await expect(page.getByText('Password changed; other sessions were signed out.')).toBeVisible()

      const newToken = await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")
      expect(newToken).not.toBeNull()
      expect(newToken).not.toBe(oldToken)
      const me = (token: string | null) => page.request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token ?? ''}` } })
      expect((await me(oldToken)).status()).toBe(401)
      expect((await me(newToken)).status()).toBe(200)
      // The page keeps working on the new token.
      await page.reload()
      await expect(page.getByTestId('setting-maxAttempts').locator('input')).toHaveValue('3')
      await expect(page).toHaveURL(/\/settings$/)
    } finally {
      await page.close()
      await stopHeadlessServer(server, child)
    }
  })
})
