import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';

/*
 * A small History-API router: a table of path patterns, `<a href>` clicks intercepted
 * anywhere (also inside shadow roots), and `navigate()` for code.
 */

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
  query: URLSearchParams;
  /** pathname + search, for `?next=` links */
  url: string;
}

export interface RouteDef {
  /** `/villages/:id`; `*` matches anything (the not-found page, last in the table). */
  path: string;
  /** Title of the page for `<title>`, in the current language. */
  title: () => string;
  /** Code split out of the public bundle (cadre console), loaded the first time it is needed. */
  load?: () => Promise<unknown>;
  render: (m: RouteMatch) => TemplateResult;
}

const NAVIGATE_EVENT = 'courtyard:navigate';

/** Go to a path inside the app (pushes history unless `replace`). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, location.href);
  if (url.origin !== location.origin) {
    location.href = url.href;
    return;
  }
  if (opts.replace) history.replaceState(null, '', url.pathname + url.search + url.hash);
  else history.pushState(null, '', url.pathname + url.search + url.hash);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * Send a signed-out visitor to the sign-in page, coming back to `next` afterwards. Safe to call
 * from `updated()` more than once: it does nothing when already on the sign-in page.
 */
export function goToSignIn(next: string): void {
  if (location.pathname === '/login') return;
  navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
}

/**
 * A `?next=` target is only followed if it is a page of this site, read the way the browser
 * will read it: `/\\evil.example` and `/%09/evil.example` are other sites to a browser.
 */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/')) return fallback;
  const here = 'https://courtyard.invalid';
  let url: URL;
  try {
    url = new URL(next, here);
  } catch {
    return fallback;
  }
  if (url.origin !== here || url.pathname.startsWith('/api')) return fallback;
  return url.pathname + url.search + url.hash;
}

function compile(path: string): RegExp {
  if (path === '*') return /^.*$/;
  const body = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/**
 * Tracks the current location against a route table and re-renders its host on every move.
 * The host renders `router.match.route.render(router.match)` once `router.ready` is true.
 */
export class RouterController implements ReactiveController {
  match: RouteMatch;
  /** False while a lazily loaded route's code is on its way. */
  ready = true;
  loadError: unknown = null;
  /** Becomes true after the first in-app move, so focus moves to the new page only then. */
  moved = false;

  private readonly compiled: Array<{ re: RegExp; route: RouteDef }>;
  private readonly loaded = new Set<RouteDef>();

  constructor(
    private readonly host: ReactiveControllerHost,
    routes: readonly RouteDef[],
  ) {
    this.compiled = routes.map((route) => ({ re: compile(route.path), route }));
    this.match = this.resolve();
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onLocation);
    window.addEventListener(NAVIGATE_EVENT, this.onLocation);
    document.addEventListener('click', this.onClick);
    this.onLocation();
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onLocation);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocation);
    document.removeEventListener('click', this.onClick);
  }

  /** Load the current route's code again after a failure (weak signal). */
  retry(): void {
    this.onLocation();
  }

  private resolve(): RouteMatch {
    const { pathname, search } = location;
    for (const { re, route } of this.compiled) {
      const m = re.exec(pathname);
      if (m) {
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = safeDecode(v);
        return { route, params, query: new URLSearchParams(search), url: pathname + search };
      }
    }
    throw new Error('route table needs a final "*" route');
  }

  private readonly onLocation = (): void => {
    const before = this.match.url.split('?')[0];
    this.match = this.resolve();
    // only a new page moves focus; a changed query (a filter, a tab) keeps it where it is
    if (location.pathname !== before) this.moved = true;
    const { route } = this.match;
    this.loadError = null;
    if (route.load && !this.loaded.has(route)) {
      this.ready = false;
      route
        .load()
        .then(() => {
          this.loaded.add(route);
          if (this.match.route === route) this.ready = true;
        })
        .catch((err: unknown) => {
          if (this.match.route === route) this.loadError = err;
        })
        .finally(() => this.host.requestUpdate());
    } else {
      this.ready = true;
    }
    this.host.requestUpdate();
  };

  private readonly onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || !a.href || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    e.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
  };
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

const TITLE_EVENT = 'page-title';

/**
 * A page names itself once its data is in (陈家庭院（编号 3）· 洋尾村), so that the browser tab,
 * a shared link's card and a screen reader's page list say which entry or village it is, not
 * only 参评作品. The app shell sets it for the address it was given at.
 */
export function nameThisPage(from: HTMLElement, title: string): void {
  from.dispatchEvent(new CustomEvent(TITLE_EVENT, { detail: { title, url: location.pathname + location.search }, bubbles: true, composed: true }));
}

/** Listen for pages naming themselves (the app shell). */
export function onPageNamed(host: HTMLElement, named: (title: string, url: string) => void): void {
  host.addEventListener(TITLE_EVENT, ((e: CustomEvent<{ title: string; url: string }>) => named(e.detail.title, e.detail.url)) as EventListener);
}
