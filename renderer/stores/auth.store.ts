import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AdminEndpoint, EndpointResult } from '@shared/contract/admin-api'
import { ApiError, callApi, type CallInput } from '../api/client'

const TOKEN_KEY = 'cuttle.token'

/**
 * The admin session: the token (kept for this tab only, gone when it closes) and every call made
 * with it. A 401 anywhere ends the session, and the router sends the user to sign in again.
 */
export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(sessionStorage.getItem(TOKEN_KEY))
  const username = ref<string | null>(null)
  const signedIn = computed(() => token.value !== null)

  function keep(value: string | null): void {
    token.value = value
    if (value === null) sessionStorage.removeItem(TOKEN_KEY)
    else sessionStorage.setItem(TOKEN_KEY, value)
  }

  /** Exchanges the password for a token. */
  async function signIn(name: string, password: string): Promise<void> {
    const result = await callApi('auth.login', { body: { username: name, password } }, null)
    keep(result.token)
    username.value = name
  }

  /** Revokes the session on the server (best effort) and forgets it here. */
  async function signOut(): Promise<void> {
    const current = token.value
    keep(null)
    username.value = null
    if (current) await callApi('auth.logout', {}, current).catch(() => undefined)
  }

  /** Puts a fresh token in place of the current one (a password change revokes the older tokens). */
  function replaceToken(value: string): void {
    keep(value)
  }

  /** Calls an admin endpoint with the session's token. */
  async function call<K extends AdminEndpoint>(name: K, input: CallInput<K> = {}): Promise<EndpointResult<K>> {
    try {
      return await callApi(name, input, token.value)
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) keep(null)
      throw err
    }
  }

  /**
   * Checks a kept token and learns who it belongs to; false when it no longer works. In the
   * desktop app the window signs in with the per-launch token main hands over through preload.
   */
  async function restore(): Promise<boolean> {
    if (token.value === null && window.cuttleDesktop) {
      const session = await window.cuttleDesktop.getSession().catch(() => null)
      if (session) keep(session.token)
    }
    if (token.value === null) return false
    try {
      username.value = (await call('auth.me')).username
      return true
    } catch {
      return false
    }
  }

  return { token, username, signedIn, signIn, signOut, replaceToken, call, restore }
})
