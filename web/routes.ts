import { msg } from '@lit/localize';
import { html } from 'lit';
import type { RouteDef } from './router';
import { safeNext } from './router';
import './pages/home-page';
import './pages/village-page';
import './pages/login-page';
import './pages/me-page';
import './pages/not-found-page';

/*
 * The app's pages. Public pages are in the main bundle (one request on a slow connection);
 * the cadre console is split out and loaded only when a cadre opens it.
 */
export const routes: readonly RouteDef[] = [
  {
    path: '/',
    title: () => msg('首页', { id: 'nav.home' }),
    render: (m) => html`<home-page .villageId=${m.query.get('village') ?? ''}></home-page>`,
  },
  {
    path: '/villages/:id',
    title: () => msg('村庄', { id: 'title.village' }),
    render: (m) => html`<village-page .villageId=${m.params['id'] ?? ''}></village-page>`,
  },
  {
    path: '/login',
    title: () => msg('登录', { id: 'nav.login' }),
    render: (m) => html`<login-page .next=${safeNext(m.query.get('next'), '/me')}></login-page>`,
  },
  {
    path: '/me',
    title: () => msg('我的家庭', { id: 'nav.me' }),
    render: () => html`<me-page></me-page>`,
  },
  {
    path: '/console',
    title: () => msg('管理后台', { id: 'nav.console' }),
    load: () => import('./pages/console-page'),
    render: (m) =>
      html`<console-page
        .villageId=${m.query.get('village') ?? ''}
        .tab=${m.query.get('tab') === 'campaigns' ? 'campaigns' : 'households'}
      ></console-page>`,
  },
  {
    path: '/console/campaigns/:id',
    title: () => msg('评比活动', { id: 'title.campaign' }),
    load: () => import('./pages/console-campaign-page'),
    render: (m) => html`<console-campaign-page .campaignId=${m.params['id'] ?? ''}></console-campaign-page>`,
  },
  {
    path: '*',
    title: () => msg('没有这个页面', { id: 'title.notFound' }),
    render: () => html`<not-found-page></not-found-page>`,
  },
];
