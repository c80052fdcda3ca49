import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from './stores/auth.store'

/** Every page, loaded on first visit (one chunk per page). */
const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/sign-in/index.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/layout/app-layout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('./pages/dashboard/index.vue') },
      { path: 'channels', name: 'channels', component: () => import('./pages/channels/index.vue') },
      { path: 'groups', name: 'groups', component: () => import('./pages/groups/index.vue') },
      { path: 'api-keys', name: 'api-keys', component: () => import('./pages/api-keys/index.vue') },
      { path: 'prices', name: 'prices', component: () => import('./pages/prices/index.vue') },
      { path: 'logs', name: 'logs', component: () => import('./pages/logs/index.vue') },
      { path: 'settings', name: 'settings', component: () => import('./pages/settings/index.vue') },
      { path: 'connect', name: 'connect', component: () => import('./pages/connect/index.vue') }
    ]
  },
  { path: '/:rest(.*)*', redirect: '/' }
]

/** The router; pages other than sign-in need a session. */
export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(to => {
  const auth = useAuthStore()
  if (to.meta.public === true || auth.signedIn) return true
  return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
})
