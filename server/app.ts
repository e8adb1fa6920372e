import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
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
import { likeHandler, likeRoutes, type LikeLimits } from './routes/likes.ts';
import { scoringRoutes } from './routes/scoring.ts';
import { resultRoutes } from './routes/results.ts';
import { plateRoutes } from './routes/plates.ts';
import { validationHook } from './routes/context.ts';
import { answerHeaders, errorAnswer, header, logAnswer, requestIdFrom, stampAnswer } from './routes/answer.ts';
import { gzip } from './lib/gzip.ts';

// Validation messages a person reads are Chinese, like every other message of the API.
z.config(z.locales.zhCN());
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? '必须填写' : undefined) });

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

  // The like route is served ahead of the middleware below: it is the busiest write, and it
  // does what the middleware does (answer headers, origin, session, access log) itself, with
  // the same functions and without building a Fetch request or response headers object.
  app.on(['PUT', 'DELETE'], '/api/entries/:id/like', likeHandler(deps, options.likeLimits));

  app.use('*', async (c, next) => {
    const requestId = requestIdFrom(header(c, 'x-request-id'));
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('actor', null);
    // Set before the handler runs, so that they travel with whatever it answers.
    stampAnswer(c, answerHeaders(c.req.path, requestId, deps.clock.now()));
    const started = performance.now();
    await next();
    logAnswer(deps.log, { requestId, method: c.req.method, path: c.req.path, status: c.res.status, started });
  });
  app.use('*', gzip());

  app.get('/healthz', (c) => {
    deps.db.$client.prepare('select 1').get();
    return c.json({ ok: true });
  });

  // Who is asking is known before any body is read: a stranger's upload is refused unread.
  app.use('/api/*', session());
  app.use('/api/*', originGuard());

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
  api.route('/', likeRoutes());
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
  // The document is made once, on first asking: the routes do not change while the server runs.
  let doc: ReturnType<typeof api.getOpenAPI31Document> | undefined;
  let docsHtml: string | undefined;
  const document = () => (doc ??= api.getOpenAPI31Document(docConfig));
  api.get('/openapi.json', (c) => c.json(document()));
  api.get('/docs', async (c) => c.html((docsHtml ??= await docsPage(document() as Parameters<typeof docsPage>[0]))));
  app.route('/api', api);

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'not_found', message: '没有这个接口。' } }, 404);
    return c.text('Not found', 404);
  });

  app.onError((err, c) => {
    const answer = errorAnswer(err, c.get('requestId'), deps.log);
    if (answer.retryAfter) c.header('Retry-After', String(answer.retryAfter));
    return c.json(answer.body, answer.status as ContentfulStatusCode);
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

export type AppType = ReturnType<typeof createApp>;
