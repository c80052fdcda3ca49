import { freePort } from './helpers/free-port'
import { expect, screenshots, signIn, test } from './fixtures/cuttle'

interface Created {
  id: number
}
interface LogPage {
  items: Array<{ id: number; requestedModel: string; status: number; attemptCount: number }>
}

test.describe('logs', () => {
  test('filters by status through the URL and explains both attempts of a failover', async ({ page, admin, fake, server }) => {
    // A group whose first member is a closed port and second the fake provider: one request, two attempts.
    const down = await admin.call<Created>('POST', '/channels', {
      name: 'logs-down',
      type: 'openai-chat',
      baseUrls: [`http://127.0.0.1:${await freePort()}`],
      keys: ['sk-down-0000'],
      models: []
    })
    const up = await admin.call<Created>('POST', '/channels', { name: 'logs-up', type: 'openai-chat', baseUrls: [fake.url], keys: ['sk-up-0000'], models: [] })
    const member = (channelId: number): object => ({ channelId, model: 'logs-upstream' })
    await admin.call('POST', '/groups', { name: 'logs-failover', mode: 'failover', members: [member(down.id), member(up.id)] })
    await admin.call('POST', '/groups', { name: 'logs-broken', mode: 'failover', members: [member(down.id)] })
    const key = await admin.call<Created & { key: string }>('POST', '/api-keys', { name: 'logs-key' })

    const chat = (model: string): Promise<Response> =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] })
      })
    expect((await chat('logs-failover')).status).toBe(200)
    expect((await chat('logs-broken')).status).toBeGreaterThanOrEqual(500)
    // Logs are written in batches (every second): wait until both rows are stored.
    await expect.poll(async () => (await admin.call<LogPage>('GET', `/logs?apiKeyId=${key.id}`)).items.length, { timeout: 10_000 }).toBe(2)

    await signIn(page)
    await page.goto(`/logs?apiKeyId=${key.id}`)
    const rows = page.getByTestId('log-row')
    await expect(rows).toHaveCount(2)
    await expect(page.getByTestId('log-filter-key')).toContainText('logs-key')

    // Failed only: the broken group's row; the filter lands in the URL.
    await page.getByTestId('log-filter-status').click()
    await page.getByText('Failed (≥ 400)').click()
    await expect(page).toHaveURL(/status=error/)
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('logs-broken')
    await expect(rows.first().getByTestId('log-status')).toHaveText(/^5\d\d$/)

    // Succeeded only: the failover's row, answered after two attempts.
    await page.getByTestId('log-filter-status').click()
    await page.getByText('Succeeded (< 400)').click()
    await expect(page).toHaveURL(/status=ok/)
    await expect(rows).toHaveCount(1)
    const ok = rows.first()
    await expect(ok).toContainText('logs-failover')
    await expect(ok).toContainText('logs-upstream')
    await expect(ok).toContainText('2 attempts')
    await expect(ok.getByTestId('log-status')).toHaveText('200')
    await expect(ok).toContainText('logs-up')
    await screenshots(page, 'logs')

    // The detail drawer tells why the first channel was left and that the second answered.
    await ok.click()
    const detail = page.getByTestId('log-detail')
    await expect(page).toHaveURL(/log=\d+/)
    const attempts = detail.getByTestId('log-attempt')
    await expect(attempts).toHaveCount(2)
    const [first, second] = [attempts.nth(0), attempts.nth(1)]
    await expect(first).toContainText('logs-down')
    await expect(first.getByTestId('log-attempt-story')).toHaveText('no answer connection failed → channel cooled → moved to the next member (logs-up)')
    await expect(first.getByTestId('log-attempt-reason')).toContainText('ECONNREFUSED')
    await expect(first).toContainText('network')
    await expect(second).toContainText('logs-up')
    await expect(second.getByTestId('log-attempt-status')).toHaveText('200')
    await expect(second.getByTestId('log-attempt-story')).toHaveText('answered')
    await expect(second.getByTestId('log-attempt-reason')).toHaveText('answered')
    await expect(detail.getByTestId('log-summary')).toContainText('logs-failover')
    await expect(detail.getByTestId('log-bodies-missing')).toContainText('Capture bodies')
    await screenshots(page, 'log-detail')

    // The URL reproduces the view: filters and the open request survive a reload.
    await page.reload()
    await expect(page.getByTestId('log-detail').getByTestId('log-attempt')).toHaveCount(2)
    await page.keyboard.press('Escape')
    await expect(page).not.toHaveURL(/log=/)
    await expect(rows).toHaveCount(1)

    // Clearing the filters shows every request again.
    await page.getByTestId('log-filter-clear').click()
    await expect(page).toHaveURL(/\/logs$/)
    await expect(rows).not.toHaveCount(0)
  })

  test('captured bodies appear in the drawer, collapsible and copyable', async ({ page, admin, fake, server, context }) => {
    await admin.call('PATCH', '/settings', { captureBodies: true })
    try {
      const channel = await admin.call<Created>('POST', '/channels', { name: 'logs-bodies', type: 'openai-chat', baseUrls: [fake.url], keys: ['sk-b-0000'], models: ['logs-bodies-model'] })
      const key = await admin.call<Created & { key: string }>('POST', '/api-keys', { name: 'logs-bodies-key' })
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'logs-bodies-model', messages: [{ role: 'user', content: 'Body please' }] })
      })
      expect(res.status).toBe(200)
      await expect.poll(async () => (await admin.call<LogPage>('GET', `/logs?apiKeyId=${key.id}`)).items.length, { timeout: 10_000 }).toBe(1)
      const [row] = (await admin.call<LogPage>('GET', `/logs?apiKeyId=${key.id}`)).items

      await context.grantPermissions(['clipboard-read', 'clipboard-write'])
      await signIn(page)
      await page.goto(`/logs?channelId=${channel.id}&log=${row?.id}`)
      const bodies = page.getByTestId('log-bodies')
      await bodies.getByText('Request body').click()
      await expect(bodies).toContainText('Body please')
      await bodies.getByTestId('log-body-copy').first().click()
      await expect(page.getByText('Copied')).toBeVisible()
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('"Body please"')
    } finally {
      await admin.call('PATCH', '/settings', { captureBodies: false })
    }
  })
})
