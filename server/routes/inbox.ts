import { createRoute, z } from '@hono/zod-openapi';
import { Id, Ok } from '../contracts/common.ts';
import { Entry } from '../contracts/entries.ts';
import { NoticeList } from '../contracts/inbox.ts';
import { entriesOfHousehold, entryView } from '../db/entries.ts';
import { inboxOf, markRead } from '../db/notifications.ts';
import { notFound } from '../domain/errors.ts';
import { requireActor, router } from './context.ts';
import { cookieAuth, errors, json } from './openapi.ts';

const myEntriesRoute = createRoute({
  method: 'get',
  path: '/me/entries',
  tags: ['entries'],
  summary: "My household's entries in every round, with hidden photos and reasons",
  security: cookieAuth,
  responses: { 200: json(z.object({ entries: z.array(Entry) })), ...errors(401) },
});
const inboxRoute = createRoute({
  method: 'get',
  path: '/me/notifications',
  tags: ['notifications'],
  summary: 'My inbox: entry hidden or restored, threshold reached, visits, results, plates',
  security: cookieAuth,
  responses: { 200: json(NoticeList), ...errors(401) },
});
const readRoute = createRoute({
  method: 'post',
  path: '/me/notifications/{id}/read',
  tags: ['notifications'],
  summary: 'Mark a notice read',
  security: cookieAuth,
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(Ok), ...errors(401, 404) },
});

export function inboxRoutes() {
  const app = router();
  app.openapi(myEntriesRoute, (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const list = actor.householdId ? entriesOfHousehold(db, actor.householdId) : [];
    return c.json({ entries: list.map((e) => entryView(db, e, true, clock.now())) }, 200);
  });
  app.openapi(inboxRoute, (c) => {
    const actor = requireActor(c);
    const notifications = inboxOf(c.get('deps').db, actor.accountId);
    return c.json({ notifications, unread: notifications.filter((n) => !n.read).length }, 200);
  });
  app.openapi(readRoute, (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    if (!markRead(db, actor.accountId, c.req.valid('param').id, clock.now())) throw notFound('消息');
    return c.json({ ok: true as const }, 200);
  });
  return app;
}
