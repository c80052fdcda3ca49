import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from '@playwright/test'
import { expect, screenshots, test } from './fixtures/cuttle'
import { ADMIN_PASSWORD } from './fixtures/headless-server'

interface Channel {
  id: number
  name: string
  type: string
  baseUrls: string[]
  models: string[]
  keys: Array<{ masked: string }>
}

/** Signs in through the page straight to the channels page. */
async function signInToChannels(page: Page): Promise<void> {
  await page.goto('/sign-in?next=%2Fchannels')
  await page.getByTestId('password').locator('input').fill(ADMIN_PASSWORD)
  await page.getByTestId('sign-in').click()
  await expect(page.getByTestId('channels-table').or(page.getByTestId('channels-empty'))).toBeVisible({ timeout: 15_000 })
}

/** A provider that only lists models (GET /v1/models), as OpenAI-compatible ones do. */
async function startModelLister(models: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const listing = req.method === 'GET' && req.url?.startsWith('/v1/models')
    res.writeHead(listing ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(listing ? { object: 'list', data: models.map(id => ({ id, object: 'model' })) } : { error: { message: 'not found' } }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

// The worker's server is shared with the other specs: names carry a suffix.
const suffix = Date.now().toString(36)

test.describe('channels', () => {
  test('a channel made in the form is stored with its key masked, and its test button answers through the provider', async ({ page, admin, fake }) => {
    const name = `openai-${suffix}`
    await signInToChannels(page)
    await page.getByTestId('channel-create').click()

    // A wrong base URL is caught on its row before anything is sent.
    await page.getByTestId('channel-name').locator('input').fill(name)
    await page.getByTestId('channel-base-url-0').locator('input').fill('ftp://nowhere')
    await page.getByTestId('channel-save').click()
    await expect(page.getByText('Must be an http:// or https:// URL.')).toBeVisible()

    await page.getByTestId('channel-base-url-0').locator('input').fill(fake.url)
    await page.getByTestId('new-key-0').locator('input').fill('sk-e2e-secret-0001')
    await page.getByTestId('channel-models').click()
    await page.keyboard.type('fake-model')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await page.getByTestId('channel-save').click()

    const row = page.getByTestId(`channel-row-${name}`)
    await expect(row).toBeVisible()
    const stored = (await admin.call<Channel[]>('GET', '/channels')).find(channel => channel.name === name)
    expect(stored).toMatchObject({ type: 'openai-chat', baseUrls: [fake.url], models: ['fake-model'] })
    expect(stored?.keys).toHaveLength(1)
    expect(stored?.keys[0]?.masked).not.toContain('secret')
    // The page never receives the stored key.
    await expect(page.locator('body')).not.toContainText('sk-e2e-secret-0001')

    // Test: one tiny request in the channel's protocol, with status, latency and the answer.
    const before = fake.requests.length
    await row.getByTestId('channel-test').click()
    const dialog = page.getByTestId('channel-test-dialog')
    await expect(dialog.getByTestId('test-verdict')).toHaveText('Works')
    await expect(dialog.getByTestId('test-status')).toHaveText('200')
    await expect(dialog.getByTestId('test-answer')).toHaveText('OK')
    await expect(dialog.getByTestId('test-latency')).toHaveText(/^\d+ ms$/)
    const sent = fake.requests.slice(before)
    expect(sent.map(request => [request.protocol, request.body.model, request.headers.authorization])).toEqual([['openai-chat', 'fake-model', 'Bearer sk-e2e-secret-0001']])
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()

    await page.addStyleTag({ content: '.n-message-container { display: none !important; }' })
    await screenshots(page, 'channels')
  })

  test('model sync lists what the provider offers and adds the new models when applied', async ({ page, admin }) => {
    const lister = await startModelLister(['listed-a', 'listed-b'])
    try {
      const name = `lister-${suffix}`
      await admin.call('POST', '/channels', { name, type: 'openai-chat', baseUrls: [lister.url], keys: ['sk-list-0001'], models: ['listed-a'] })
      await signInToChannels(page)

      await page.getByTestId(`channel-row-${name}`).getByTestId('channel-more').click()
      await page.getByTestId('action-sync').click()
      const dialog = page.getByTestId('model-sync-dialog')
      await expect(dialog.getByTestId('sync-listed')).toHaveText('The provider lists 2 models.')
      await expect(dialog.getByTestId('sync-added')).toHaveText('listed-b')
      // The preview wrote nothing.
      const channelOf = async (): Promise<Channel | undefined> => (await admin.call<Channel[]>('GET', '/channels')).find(channel => channel.name === name)
      expect((await channelOf())?.models).toEqual(['listed-a'])

      await dialog.getByTestId('sync-apply').click()
      await expect(dialog.getByText('Added.')).toBeVisible()
      expect((await channelOf())?.models).toEqual(['listed-a', 'listed-b'])
    } finally {
      await new Promise(resolve => lister.server.close(resolve))
    }
  })
})
