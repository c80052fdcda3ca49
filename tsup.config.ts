import { defineConfig } from 'tsup'

/**
 * The main process into out/main (ESM; npm dependencies stay external so native modules load),
 * and the Electron preload into out/preload as CommonJS, the only format a sandboxed preload runs.
 */
export default defineConfig([
  {
    entry: { index: 'main/index.ts' },
    outDir: 'out/main',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.node.json',
    sourcemap: true,
    clean: true,
    splitting: true,
    shims: false,
    // Electron provides `electron` to its main process itself; the npm package is only its launcher.
    external: ['electron']
  },
  {
    entry: { index: 'preload/index.ts' },
    outDir: 'out/preload',
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.node.json',
    external: ['electron'],
    clean: true
  }
])
