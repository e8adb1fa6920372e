import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { DomainError } from './domain/errors.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes, meRoutes } from './routes/auth.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import type { AppDeps, AppEnv } from './routes/context.ts';
import { docsPage } from './routes/docs.ts';
import { originGuard, session } from './routes/guard.ts';
import { householdRoutes } from './routes/households.ts';
import { placeRoutes } from './routes/places.ts';
import { entryRoutes } from './routes/entries.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { mediaRoutes } from './routes/media.ts';
import { likeRoutes, type LikeLimits } from './routes/likes.ts';
import { scoringRoutes } from './routes/scoring.ts';
import { resultRoutes } from './routes/results.ts';
import { plateRoutes } from './routes/plates.ts';
import { validationHook } from './routes/context.ts';
import { randomUUID } from 'node:crypto';
import { gzip } from './lib/gzip.ts';

// Validation messages a person reads are Chinese, like every other message of the API.
z.config(z.locales.zhCN());
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? '必须填写' : undefined) });

/** Pages may load only this site's own scripts, styles, images and connections. */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

export interface AppOptions {
  /** Folder of the built web app (dist/web); omitted in API tests. */
  webRoot?: string;
  likeLimits?: LikeLimits;
  /** Sign-in codes one address may request an hour (60). */
  codesPerIpPerHour?: number;
}

/** The one place where middleware, the error path and every route are wired together. */
export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('actor', null);
    // Headers set before the handler runs travel with its response; set afterwards they would
    // force the response to be rebuilt, which costs more than the request itself.
    c.header('x-request-id', requestId);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    c.header('cross-origin-opener-policy', 'same-origin');
    c.header('cross-origin-resource-policy', 'same-origin');
    if (!c.req.path.startsWith('/api/') || c.req.path === '/api/docs') c.header('content-security-policy', CSP);
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    deps.log[c.res.status >= 500 ? 'error' : 'info']('request', { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms });
  });
  app.use('*', gzip());

  app.get('/healthz', (c) => {
    deps.db.$client.prepare('select 1').get();
    return c.json({ ok: true });
  });

  app.use('/api/*', originGuard());
  app.use('/api/*', session());

  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.route('/auth', authRoutes(options.codesPerIpPerHour));
  api.route('/', meRoutes());
  api.route('/', placeRoutes());
  api.route('/', householdRoutes());
  api.route('/', campaignRoutes());
  api.route('/', auditRoutes());
  api.route('/', entryRoutes());
  api.route('/', mediaRoutes());
  api.route('/', inboxRoutes());
  api.route('/', likeRoutes(options.likeLimits));
  api.route('/', scoringRoutes());
  api.route('/', resultRoutes());
  api.route('/', plateRoutes());
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'cy_session' });
  const docConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Courtyard API',
      version: '1.0.0',
      description:
        'Village courtyard contests: sign-in, places, households, campaigns and rounds. Every state-changing request needs an Origin header of this site and a JSON body (CSV for the roster import). Errors are {"error":{"code","message","details?"}}.',
    },
    servers: [{ url: '/api' }],
  };
  api.doc31('/openapi.json', docConfig);
  api.get('/docs', (c) => c.html(docsPage(api.getOpenAPI31Document(docConfig) as Parameters<typeof docsPage>[0])));
  app.route('/api', api);

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'not_found', message: '没有这个接口。' } }, 404);
    return c.text('Not found', 404);
  });

  app.onError((err, c) => {
    if (err instanceof DomainError) {
      if (err.retryAfter) c.header('Retry-After', String(err.retryAfter));
      return c.json({ error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: withProblems(err) }) } }, err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const malformed = /json/i.test(err.message);
      return c.json(
        { error: { code: malformed ? 'malformed_json' : 'bad_request', message: malformed ? '请求内容不是有效的 JSON。' : '请求不正确。' } },
        err.status,
      );
    }
    deps.log.error('unhandled error', { requestId: c.get('requestId'), error: String(err), stack: err instanceof Error ? err.stack : undefined });
    return c.json({ error: { code: 'internal', message: '服务器出错了，请稍后再试。', details: { requestId: c.get('requestId') } } }, 500);
  });

  if (options.webRoot && existsSync(join(options.webRoot, 'index.html'))) mountWeb(app, options.webRoot);
  return app;
}

/** The built web app: hashed assets cached for a year, every other path answered by index.html (client routing). */
function mountWeb(app: OpenAPIHono<AppEnv>, root: string) {
  const index = readFileSync(join(root, 'index.html'), 'utf8');
  app.use(
    '/assets/*',
    serveStatic({ root, precompressed: true, onFound: (_p, c) => void c.header('Cache-Control', 'public, max-age=31536000, immutable') }),
  );
  app.use('*', serveStatic({ root, onFound: (_p, c) => void c.header('Cache-Control', 'public, max-age=3600') }));
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'not_found', message: '没有这个接口。' } }, 404);
    c.header('Cache-Control', 'no-cache');
    return c.html(index);
  });
}

/**
 * Every error that names a field also lists it in `details.problems`, the one shape a client
 * reads to put a message next to the field, whichever rule refused the request.
 */
function withProblems(err: DomainError): unknown {
  const d = err.details as { field?: unknown; problems?: unknown } | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.problems !== undefined || typeof d.field !== 'string') return err.details;
  return { ...d, problems: [{ field: d.field, problem: err.message }] };
}

export type AppType = ReturnType<typeof createApp>;
