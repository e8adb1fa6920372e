import { msg } from '@lit/localize';
import { html } from 'lit';
import type { ConsoleTab } from './pages/console-page';
import type { RouteDef } from './router';
import { safeNext } from './router';
import './pages/home-page';
import './pages/village-page';
import './pages/entry-page';
import './pages/login-page';
import './pages/not-found-page';

const CONSOLE_TABS: readonly ConsoleTab[] = ['households', 'campaigns', 'review', 'photos', 'likes', 'scoring', 'results', 'rewards'];

function consoleTab(v: string | null): ConsoleTab {
  return CONSOLE_TABS.find((t) => t === v) ?? 'households';
}

/*
 * The app's pages. Public pages are in the main bundle (one request on a slow connection);
 * "my household", the entry editor and the cadre console are split out and loaded only when
 * someone opens them.
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
    path: '/entries/:id',
    title: () => msg('参评作品', { id: 'title.entry' }),
    render: (m) => html`<entry-page .entryId=${m.params['id'] ?? ''}></entry-page>`,
  },
  {
    // only entrants and the cadres entering for them need the editor and its photo code
    path: '/entries/:id/edit',
    title: () => msg('编辑参评作品', { id: 'title.entryEdit' }),
    load: () => import('./pages/entry-edit-page'),
    render: (m) => html`<entry-edit-page .entryId=${m.params['id'] ?? ''}></entry-edit-page>`,
  },
  {
    path: '/login',
    title: () => msg('登录', { id: 'nav.login' }),
    render: (m) => html`<login-page .next=${safeNext(m.query.get('next'), '')}></login-page>`,
  },
  {
    path: '/me',
    title: () => msg('我的家庭', { id: 'nav.me' }),
    // only signed-in people come here: its entries, inbox and forms stay out of the public bundle
    load: () => import('./pages/me-page'),
    render: () => html`<me-page></me-page>`,
  },
  {
    path: '/console',
    title: () => msg('管理后台', { id: 'nav.console' }),
    load: () => import('./pages/console-page'),
    render: (m) =>
      html`<console-page
        .villageId=${m.query.get('village') ?? ''}
        .tab=${consoleTab(m.query.get('tab'))}
        .roundId=${m.query.get('round') ?? ''}
      ></console-page>`,
  },
  {
    path: '/console/campaigns/:id',
    title: () => msg('评比活动', { id: 'title.campaign' }),
    load: () => import('./pages/console-campaign-page'),
    render: (m) => html`<console-campaign-page .campaignId=${m.params['id'] ?? ''}></console-campaign-page>`,
  },
  {
    // the panel's queue and score sheet: one chunk, kept by the service worker for offline use
    path: '/panel',
    title: () => msg('考评打分', { id: 'nav.panel' }),
    load: () => import('./pages/panel-page'),
    render: (m) => html`<panel-page .choose=${m.query.has('choose')}></panel-page>`,
  },
  {
    path: '/panel/rounds/:roundId',
    title: () => msg('考评打分', { id: 'nav.panel' }),
    load: () => import('./pages/panel-page'),
    render: (m) => html`<panel-page .roundId=${m.params['roundId'] ?? ''}></panel-page>`,
  },
  {
    path: '/panel/rounds/:roundId/entries/:entryId',
    title: () => msg('评分表', { id: 'sheet.title' }),
    load: () => import('./pages/panel-page'),
    render: (m) =>
      html`<score-sheet-page .roundId=${m.params['roundId'] ?? ''} .entryId=${m.params['entryId'] ?? ''}></score-sheet-page>`,
  },
  {
    // results, stars, plates and the town dashboard: each its own chunk, so the public bundle stays small
    path: '/results/:roundId',
    title: () => msg('评比结果', { id: 'title.results' }),
    load: () => import('./pages/results-page'),
    render: (m) => html`<results-page .roundId=${m.params['roundId'] ?? ''}></results-page>`,
  },
  {
    path: '/stars/:campaignId/:period',
    title: () => msg('星级庭院', { id: 'result.starCourtyards' }),
    load: () => import('./pages/results-page'),
    render: (m) => html`<results-page .campaignId=${m.params['campaignId'] ?? ''} .period=${m.params['period'] ?? ''}></results-page>`,
  },
  {
    path: '/plates/:serial',
    title: () => msg('门牌验证', { id: 'title.plate' }),
    load: () => import('./pages/plate-page'),
    render: (m) => html`<plate-page .serial=${m.params['serial'] ?? ''}></plate-page>`,
  },
  {
    path: '/town/:townId',
    title: () => msg('全镇看板', { id: 'title.town' }),
    load: () => import('./pages/town-page'),
    render: (m) =>
      html`<town-page .townId=${m.params['townId'] ?? ''} .from=${m.query.get('from') ?? ''} .to=${m.query.get('to') ?? ''}></town-page>`,
  },
  {
    path: '*',
    title: () => msg('没有这个页面', { id: 'title.notFound' }),
    render: () => html`<not-found-page></not-found-page>`,
  },
];
