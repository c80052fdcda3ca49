import { freePort } from './helpers/free-port'
import { expect, screenshots, signIn, test } from './fixtures/cuttle'

interface Settings {
  pricesSyncUrl: string
}

test.describe('prices', () => {
  test('search a models.dev price, add a user price that wins the lookup, edit and delete it', async ({ page, admin }) => {
    await signIn(page)
    await page.getByTestId('nav-prices').click()
    const table = page.getByTestId('prices-table')

    // The bundled snapshot lists gpt-4o at $2.50 in / $10 out (main/pricing/models-dev-snapshot.json).
    await page.getByTestId('prices-search').locator('input').fill('gpt-4o')
    const modelsDevRow = table.locator('tbody tr').filter({ has: page.getByText('gpt-4o', { exact: true }) }).first()
    await expect(modelsDevRow).toContainText('models.dev')
    await expect(modelsDevRow).toContainText('$2.50')
    await expect(modelsDevRow).toContainText('$10.00')
    await expect(table.locator('tbody tr')).not.toHaveCount(0)
    for (const text of await table.locator('tbody tr td:first-child').allInnerTexts()) expect(text.toLowerCase()).toContain('gpt-4o')

    const lookup = async (): Promise<void> => {
      await page.getByTestId('resolve-model').locator('input').fill('gpt-4o')
      await page.getByTestId('resolve-lookup').click()
    }
    await lookup()
    await expect(page.getByTestId('resolve-reason')).toContainText('models.dev lists "gpt-4o"')
    await screenshots(page, 'prices')

    // A models.dev row is read-only: "Override" starts a user price from its numbers.
    await modelsDevRow.getByTestId('price-override').click()
    const form = page.getByTestId('price-form')
    await expect(form.getByTestId('price-model').locator('input')).toHaveValue('gpt-4o')
    await form.getByTestId('price-input').locator('input').fill('')
    await form.getByTestId('price-save').click()
    await expect(form).toContainText('Required')
    await form.getByTestId('price-input').locator('input').fill('1.5')
    await form.getByTestId('price-output').locator('input').fill('6')
    await form.getByTestId('price-save').click()
    await expect(page.getByText('Price added')).toBeVisible()
    await expect(form).toBeHidden()

    // The open lookup refreshes itself: the user price now wins.
    const reason = page.getByTestId('resolve-reason')
    await expect(reason).toContainText('The user price for "gpt-4o" applies')
    await expect(page.getByTestId('resolve-result')).toContainText('$1.50')
    const stored = await admin.call<{ items: Array<{ id: number; model: string; input: number; output: number }> }>('GET', '/prices?source=user&search=gpt-4o')
    expect(stored.items.map(p => [p.model, p.input, p.output])).toEqual([['gpt-4o', 1.5, 6]])

    // Only user prices when filtered by source; edit sends the change and the table shows it.
    await page.getByTestId('prices-source').click()
    await page.getByText('user', { exact: true }).last().click()
    const userRow = table.locator('tbody tr').filter({ hasText: 'gpt-4o' })
    await expect(userRow).toHaveCount(1)
    await expect(userRow).toContainText('user')
    await userRow.getByTestId('price-edit').click()
    await form.getByTestId('price-output').locator('input').fill('7')
    await form.getByTestId('price-save').click()
    await expect(userRow).toContainText('$7.00')
    expect((await admin.call<{ output: number }>('GET', `/prices/${stored.items[0]?.id}`)).output).toBe(7)

    // Delete asks first, then the lookup falls back to models.dev.
    await userRow.getByTestId('price-delete').click()
    await page.getByRole('button', { name: 'Delete' }).last().click()
    await expect(table).toContainText('No price matches these filters.')
    await lookup()
    await expect(reason).toContainText('models.dev lists "gpt-4o"')
  })

  test('a sync that cannot reach the catalogue says so and keeps the prices', async ({ page, admin }) => {
    const before = await admin.call<Settings>('GET', '/settings')
    // A closed local port: the sync fails at once, without leaving this machine.
    await admin.call('PATCH', '/settings', { pricesSyncUrl: `http://127.0.0.1:${await freePort()}/api.json` })
    try {
      await signIn(page)
      await page.goto('/prices')
      const total = page.getByTestId('prices-table').locator('.n-pagination-prefix')
      await expect(total).toContainText('prices')
      const count = await total.innerText()
      await page.getByTestId('prices-sync').click()
      await expect(page.locator('.n-message').filter({ hasText: 'kept' })).toBeVisible({ timeout: 20_000 })
      await expect(total).toHaveText(count)
    } finally {
      await admin.call('PATCH', '/settings', { pricesSyncUrl: before.pricesSyncUrl })
    }
  })
})
