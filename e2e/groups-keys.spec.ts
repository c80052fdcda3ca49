import type { Locator, Page } from '@playwright/test'
import { expect, screenshots, test } from './fixtures/cuttle'
import { ADMIN_PASSWORD } from './fixtures/headless-server'

interface Channel {
  id: number
  name: string
}
interface Group {
  id: number
  name: string
  mode: string
  enabled: boolean
  modelPattern: string | null
  members: Array<{ channelId: number; channelName: string; model: string; priority: number; weight: number }>
}

/** Signs in through the page straight to `path` (the dashboard's charts are not needed here). */
async function signInTo(page: Page, path: string): Promise<void> {
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`)
  await page.getByTestId('password').locator('input').fill(ADMIN_PASSWORD)
  await page.getByTestId('sign-in').click()
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: 15_000 })
}

/** Screenshots without the toasts of the steps before, which would cover the page. */
async function shoot(page: Page, name: string): Promise<void> {
  const style = await page.addStyleTag({ content: '.n-message-container { display: none !important; }' })
  await screenshots(page, name)
  await style.evaluate(node => node.remove())
}

/** Picks `text` in a Naive UI select (the options live in a popup outside the select). */
async function choose(page: Page, select: Locator, text: string): Promise<void> {
  await select.click()
  // Menus closed earlier stay in the page, hidden: only the open one counts.
  await page.locator('.n-base-select-option').filter({ hasText: text, visible: true }).first().click()
}

/** One relay request as a client would send it. */
async function chat(url: string, key: string, model: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] })
  })
}

// Each test's names carry a suffix: the worker's server is shared with the other specs.
const suffix = Date.now().toString(36)
const groupName = `team-${suffix}`
const keyName = `laptop-${suffix}`

test.describe.serial('groups and API keys', () => {
  let alpha: Channel
  let beta: Channel

  test('a group built in the UI is stored with its members in the order chosen', async ({ page, admin, fake }) => {
    alpha = await admin.call<Channel>('POST', '/channels', { name: `alpha-${suffix}`, type: 'openai-chat', baseUrls: [fake.url], keys: ['sk-alpha-000000'], models: ['fake-alpha'] })
    beta = await admin.call<Channel>('POST', '/channels', { name: `beta-${suffix}`, type: 'anthropic', baseUrls: [fake.url], keys: ['sk-beta-000000'], models: ['fake-beta'] })
    const off = await admin.call<Channel>('POST', '/channels', { name: `off-${suffix}`, type: 'openai-chat', baseUrls: [fake.url], models: ['fake-off'], enabled: false })
    // A second group, made through the API, with a member the relay will skip.
    await admin.call('POST', '/groups', {
      name: `backup-${suffix}`,
      members: [
        { channelId: alpha.id, model: 'fake-alpha', priority: 0 },
        { channelId: off.id, model: 'fake-off', priority: 1 }
      ]
    })

    await signInTo(page, '/groups')
    await page.getByTestId('group-create').click()
    await page.getByTestId('group-name').locator('input').fill(groupName)
    await page.getByTestId('mode-weighted').click()

    const editor = page.getByTestId('members-editor')
    const rows = editor.getByTestId('member-row')
    for (const [index, channel] of [alpha, beta, off].entries()) {
      await editor.getByTestId('member-add').click()
      await choose(page, rows.nth(index).getByTestId('member-channel'), channel.name)
    }
    // A channel with a single model fills the model in by itself.
    await expect(rows.nth(0).getByTestId('member-model')).toContainText('fake-alpha')
    await expect(rows.nth(1).getByTestId('member-model')).toContainText('fake-beta')
    // The disabled channel is flagged in its row and left out of the preview's order.
    await expect(rows.nth(2).getByTestId('member-condition')).toHaveText('Channel disabled: skipped')
    await expect(editor.getByTestId('preview-member')).toHaveCount(2)
    await rows.nth(2).getByTestId('member-remove').click()
    await expect(rows).toHaveCount(2)

    await rows.nth(0).getByTestId('member-weight').locator('input').fill('3')
    await rows.nth(1).getByTestId('member-up').click()
    await expect(rows.nth(0).getByTestId('member-channel')).toContainText(beta.name)
    // Weighted: one tier, shares by weight, in list order.
    await expect(editor.getByTestId('preview-member')).toHaveText([new RegExp(`${beta.name} · fake-beta\\s*25 %`), new RegExp(`${alpha.name} · fake-alpha\\s*75 %`)])

    const pattern = page.getByTestId('group-pattern').locator('input')
    await pattern.fill('^fake-')
    await expect(page.getByTestId('group-pattern-matches')).toContainText('fake-alpha, fake-beta')
    // Tall enough for the whole drawer, which scrolls inside itself.
    await page.setViewportSize({ width: 1024, height: 1180 })
    await shoot(page, 'group-form')
    await page.setViewportSize({ width: 1024, height: 720 })

    // The server refuses a broken pattern, and says so on the field.
    await pattern.fill('fake-(')
    await page.getByTestId('group-save').click()
    await expect(page.getByTestId('group-pattern-item')).toContainText('is not a valid regular expression')
    await pattern.fill('^fake-')
    await page.getByTestId('group-save').click()

    const row = page.getByTestId(`group-row-${groupName}`)
    await expect(row).toContainText('2 members')
    await expect(row).toContainText('Weighted')
    await expect(row).toContainText('P0 ×2')
    await expect(row).toContainText('^fake-')
    const backup = page.getByTestId(`group-row-backup-${suffix}`)
    await expect(backup).toContainText('Failover')
    await expect(backup).toContainText('1 unavailable')
    await expect(backup).toContainText('P0 ×1')
    await expect(backup).toContainText('P1 ×1')
    const stored = (await admin.call<Group[]>('GET', '/groups')).find(g => g.name === groupName)
    expect(stored).toMatchObject({ mode: 'weighted', enabled: true, modelPattern: '^fake-' })
    expect(stored?.members).toEqual([
      { channelId: beta.id, channelName: beta.name, model: 'fake-beta', priority: 0, weight: 1 },
      { channelId: alpha.id, channelName: alpha.name, model: 'fake-alpha', priority: 0, weight: 3 }
    ])
    await shoot(page, 'groups')
  })

  test('a key made in the UI calls the group; the group switched off is refused, the key revoked is refused', async ({ page, server, admin }) => {
    // Another key, made through the API, so the table shows every kind of cell.
    await admin.call('POST', '/api-keys', { name: `ci-${suffix}`, limits: { tpm: 100_000, monthlyBudgetUsd: 25 }, expiresAt: Date.now() + 30 * 86_400_000 })
    await signInTo(page, '/api-keys')
    await page.getByTestId('key-create').click()
    await page.getByTestId('key-name').locator('input').fill(keyName)
    await page.getByTestId('key-access-some').click()
    await choose(page, page.getByTestId('key-groups'), groupName)
    await page.getByTestId('key-rpm').locator('input').fill('60')
    await page.getByTestId('key-save').click()

    const dialog = page.getByTestId('key-created')
    await expect(dialog).toContainText('will not show it again')
    const key = await page.getByTestId('created-key').locator('input').inputValue()
    expect(key).toMatch(/^ck-/)
    await shoot(page, 'api-key-created')
    await page.getByTestId('copy-key').click()
    // Copied, or (when the browser refuses the clipboard) selected for Ctrl+C.
    await expect(page.getByTestId('copy-key').or(page.getByTestId('copy-fallback'))).toContainText(/Copied|Ctrl\+C/)
    await page.getByTestId('key-created-done').click()
    await expect(dialog).toBeHidden()

    const row = page.getByTestId(`key-row-${keyName}`)
    await expect(row.getByTestId('key-prefix')).toHaveText(`${key.slice(0, 7)}…`)
    await expect(row).toContainText(groupName)
    await expect(row).toContainText('60 req/min')
    const other = page.getByTestId(`key-row-ci-${suffix}`)
    await expect(other).toContainText('All')
    await expect(other).toContainText('100,000 tokens/min')
    await expect(other).toContainText('$25.00/month')
    await shoot(page, 'api-keys')

    const answer = await chat(server.url, key, groupName)
    expect(answer.status).toBe(200)
    expect([`alpha-${suffix}`, `beta-${suffix}`]).toContain(answer.headers.get('x-cuttle-channel'))

    await page.getByTestId('nav-groups').click()
    const groupRow = page.getByTestId(`group-row-${groupName}`)
    await groupRow.getByTestId('group-toggle').click()
    await expect(page.getByText(`${groupName} is off`)).toBeVisible()
    await expect(groupRow.getByTestId('group-toggle')).toHaveAttribute('aria-checked', 'false')
    expect((await chat(server.url, key, groupName)).status).toBe(403)

    await page.getByTestId('nav-api-keys').click()
    await page.getByTestId(`key-row-${keyName}`).getByTestId('key-revoke').click()
    const confirm = page.getByRole('dialog').filter({ hasText: `Revoke ${keyName}?` })
    await expect(confirm).toContainText(`${key.slice(0, 7)}…`)
    await confirm.getByRole('button', { name: 'Revoke' }).click()
    await expect(page.getByTestId(`key-row-${keyName}`)).toHaveCount(0)
    expect((await chat(server.url, key, groupName)).status).toBe(401)
  })
})
