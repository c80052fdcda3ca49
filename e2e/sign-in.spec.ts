import { ADMIN_PASSWORD } from './fixtures/headless-server'
import { expect, screenshots, signIn, test } from './fixtures/cuttle'

test.describe('sign in', () => {
  test('shows the server version, refuses a wrong password with the API error, and keeps nothing', async ({ page, request }) => {
    const health = (await (await request.get('/healthz')).json()) as { version: string }
    await page.goto('/')
    await expect(page).toHaveURL(/\/sign-in$/)
    await expect(page).toHaveTitle('Cuttle')
    await expect(page.getByTestId('server-version')).toContainText(health.version)
    await page.getByTestId('password').locator('input').fill('not-the-password')
    await page.getByTestId('sign-in').click()
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong username or password.')
    expect(await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")).toBeNull()
    await screenshots(page, 'sign-in')
  })

  test('the right password signs in, a deep link comes back after it, and the session survives a reload', async ({ page }) => {
    await page.goto('/logs')
    await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)logs$/)
    await page.getByTestId('password').locator('input').fill(ADMIN_PASSWORD)
    await page.getByTestId('sign-in').click()
    // The path, not the whole URL: `/sign-in?next=/logs` ends in `/logs` too.
    await expect(page).toHaveURL(url => url.pathname === '/logs')
    await page.reload()
    await expect(page).toHaveURL(url => url.pathname === '/logs')
    await expect(page.getByTestId('live-counters')).toBeVisible()
  })

  test('inside the desktop app the window signs itself in with the token preload hands over', async ({ page, admin, server }) => {
    // What preload/index.ts exposes, with the session main would give: a token issued for this launch.
    const session = JSON.stringify({ baseUrl: server.url, token: admin.token, version: '0.1.0' })
    await page.addInitScript({ content: `Object.defineProperty(window, 'cuttleDesktop', { value: { getSession: () => Promise.resolve(${session}) } })` })
    await page.goto('/logs')
    await expect(page.getByTestId('live-counters')).toBeVisible()
    await expect(page).toHaveURL(url => url.pathname === '/logs')
    expect(await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")).toBe(admin.token)
  })

  test('signing out ends the session on the server too', async ({ page }) => {
    await signIn(page)
    const token = await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")
    await page.getByTestId('sign-out').click()
    await expect(page).toHaveURL(/\/sign-in/)
    const me = await page.request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token ?? ''}` } })
    expect(me.status()).toBe(401)
  })

  test('switches language to Chinese and keeps it', async ({ page }) => {
    await signIn(page)
    await page.getByTestId('language-menu').click()
    await page.getByText('中文', { exact: true }).click()
    await expect(page.getByTestId('nav-channels')).toHaveText('渠道')
    await page.reload()
    await expect(page.getByTestId('nav-channels')).toHaveText('渠道')
    await page.getByTestId('language-menu').click()
    await page.getByText('English', { exact: true }).click()
    await expect(page.getByTestId('nav-channels')).toHaveText('Channels')
  })
})
