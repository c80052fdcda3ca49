import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/**
 * Builds the management UI into out/renderer, which the headless server serves at `/`
 * (hashed files under /assets are cached for a year, everything else falls back to index.html).
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@shared': here('../shared') }
  },
  build: {
    outDir: here('../out/renderer'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022'
  }
})
