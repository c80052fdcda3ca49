/// <reference types="vite/client" />

// vue-tsc reads .vue files itself; this shim only helps tools that do not.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
