import { defineConfig } from 'tsup'

/** Bundles the main process into out/main; npm dependencies stay external so native modules load. */
export default defineConfig({
  entry: { index: 'main/index.ts' },
  outDir: 'out/main',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.node.json',
  sourcemap: true,
  clean: true,
  splitting: true,
  shims: false
})
