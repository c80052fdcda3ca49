import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures/headless-server'

const screenshot = (name: string): string => fileURLToPath(new URL(`./screenshots/${name}`, import.meta.url))

test.describe('placeholder page', () => {
  test('shows the server version from /healthz', async ({ page, request }) => {
    const health = (await (await request.get('/healthz')).json()) as { status: string; version: string }
    expect(health.status).toBe('ok')

    await page.goto('/')
    await expect(page).toHaveTitle('Cuttle')
    await expect(page.getByRole('heading', { name: 'Cuttle' })).toBeVisible()
    await expect(page.getByTestId('server-status')).toContainText(`version ${health.version}`)
  })

  test('a wrong password shows the API error', async ({ page }) => {
    await page.goto('/')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()

    await expect(page.getByRole('alert')).toHaveText('Wrong username or password.')
    await expect(page.getByText(/Signed in as/)).toHaveCount(0)
    expect(await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")).toBeNull()

    // The dark palette, with the error showing.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: screenshot('placeholder-signin-dark.png'), fullPage: true })
  })

  test('the right password signs in and keeps the token for the tab', async ({ page, request, server }) => {
    await page.goto('/')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill(server.adminPassword)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await expect(page.getByText('Signed in as admin')).toBeVisible()
    await expect(page.getByText(/management UI is coming/)).toBeVisible()
    await expect(page.getByRole('link', { name: '/api/v1/openapi.json' })).toHaveAttribute('href', '/api/v1/openapi.json')

    const token = await page.evaluate<string | null>("sessionStorage.getItem('cuttle.token')")
    expect(token).toBeTruthy()
    const me = await request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })
    expect(me.status()).toBe(200)
    expect(((await me.json()) as { username: string }).username).toBe('admin')

    // A reload in the same tab stays signed in.
    await page.reload()
    await expect(page.getByText('Signed in as admin')).toBeVisible()

    await page.screenshot({ path: screenshot('placeholder.png'), fullPage: true })
  })

  test('a deep link still serves the app (SPA fallback)', async ({ page, request }) => {
    const res = await page.goto('/channels')
    expect(res?.status()).toBe(200)
    expect(res?.headers()['content-type']).toContain('text/html')
    await expect(page).toHaveTitle('Cuttle')
    await expect(page.getByRole('heading', { name: 'Cuttle' })).toBeVisible()
    await expect(page.getByTestId('server-status')).toContainText('version')

    // API paths are not swallowed by the fallback.
    const missing = await request.get('/api/v1/no-such-endpoint')
    expect(missing.status()).toBe(404)
    expect(missing.headers()['content-type']).toContain('application/json')
  })
})
