import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: {
      '@shared': fileURLToPath(new URL('./shared', import.meta.url)),
      // The desktop shell runs against fakes: Electron's binary cannot be downloaded here.
      electron: fileURLToPath(new URL('./main/testing/fake-electron.ts', import.meta.url)),
      'electron-store': fileURLToPath(new URL('./main/testing/fake-electron-store.ts', import.meta.url))
    }
  },
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'shared/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000
  }
})
