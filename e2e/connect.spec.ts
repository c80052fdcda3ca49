import { expect, screenshots, signIn, test } from './fixtures/cuttle'

interface Created {
  id: number
}

test.describe('connect your tools', () => {
  test('a key created on the page fills the snippets with the server URL, copies, and works', async ({ page, admin, fake, server, context }) => {
    const channel = await admin.call<Created>('POST', '/channels', { name: 'connect-channel', type: 'anthropic', baseUrls: [fake.url], keys: ['sk-c-0000'], models: ['connect-model'] })
    await admin.call('POST', '/groups', { name: 'connect-group', members: [{ channelId: channel.id, model: 'connect-model' }] })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])

    await signIn(page)
    await page.getByTestId('nav-connect').click()
    await expect(page.getByTestId('connect-base-urls')).toContainText(`${server.url}/v1`)

    await page.getByTestId('connect-key-name').locator('input').fill('connect-laptop')
    await page.getByTestId('connect-key-create').click()
    const secret = page.getByTestId('connect-key-secret')
    await expect(secret).toHaveText(/^ck-/)
    const key = await secret.innerText()
    await expect(page.getByTestId('connect-key-select')).toContainText('connect-laptop')

    // The only group is chosen already; picking it by typing is what a user with many does.
    await page.getByTestId('connect-model').click()
    await page.keyboard.type('connect-gr')
    await page.keyboard.press('Enter')
    const claude = page.getByTestId('snippet-claude-code-env')
    const code = claude.getByTestId('snippet-code')
    await expect(code).toContainText(`export ANTHROPIC_BASE_URL=${server.url}\n`)
    await expect(code).toContainText(`export ANTHROPIC_AUTH_TOKEN=${key}`)
    await expect(code).toContainText('export ANTHROPIC_MODEL=connect-group')
    await screenshots(page, 'connect')

    await claude.getByTestId('snippet-copy').click()
    await expect(page.getByText('Copied')).toBeVisible()
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(await code.innerText())

    // Codex gets the /v1 base URL and the Responses wire API.
    await page.getByTestId('connect-tabs').locator('.n-tabs-tab').filter({ hasText: /^Codex$/ }).click()
    const codex = page.getByTestId('snippet-codex-config').getByTestId('snippet-code')
    await expect(codex).toContainText(`base_url = "${server.url}/v1"`)
    await expect(codex).toContainText('wire_api = "responses"')
    await expect(codex).toContainText('supports_websockets = false')
    await expect(page.getByTestId('snippet-codex-env')).toContainText(`export CUTTLE_KEY=${key}`)

    // What the snippets say works: the key and model answer through the relay.
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'connect-group', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] })
    })
    expect(res.status).toBe(200)

    // Once the page is left the key cannot be shown again: the snippets fall back to a placeholder.
    await page.reload()
    await page.getByTestId('connect-key-select').click()
    await page.locator('.n-base-select-option').filter({ hasText: 'connect-laptop' }).click()
    await expect(page.getByTestId('connect-key-placeholder')).toContainText('ck-…')
    await expect(page.getByTestId('snippet-claude-code-env')).toContainText('export ANTHROPIC_AUTH_TOKEN=ck-…')
    await expect(page.getByTestId('snippet-claude-code-env')).not.toContainText(key)
  })
})
