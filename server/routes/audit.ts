import { createRoute } from '@hono/zod-openapi';
import { AuditList, AuditQuery } from '../contracts/audit.ts';
import { auditOf } from '../db/audit.ts';
import { campaignVillageIds, getCampaign, getRound } from '../db/campaigns.ts';
import { getEntry } from '../db/entries.ts';
import { getHousehold } from '../db/households.ts';
import { getVillages } from '../db/places.ts';
import { actorsOf } from '../db/accounts.ts';
import { can } from '../domain/permissions.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { requireActor, router } from './context.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json } from './openapi.ts';

const auditRoute = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  summary: 'The audit trail of one subject (household:…, entry:…, campaign:…, round:…), for its cadres',
  security: cookieAuth,
  request: { query: AuditQuery },
  responses: { 200: json(AuditList), ...errors(400, 401, 403, 404) },
});

export function auditRoutes() {
  const app = router();
  app.openapi(auditRoute, (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const [type, id] = c.req.valid('query').subject.split(':') as [string, string];
    const villageIds =
      type === 'household' ? [getHousehold(db, id).villageId]
      : type === 'entry' ? [getEntry(db, id).villageId]
      : type === 'campaign' ? campaignVillageIds(db, getCampaign(db, id).id)
      : campaignVillageIds(db, getRound(db, id).campaignId);
    authorize(can.readAudit(actor, getVillages(db, villageIds)), '只有相关村的村干部可以查看操作记录。');
    const rows = auditOf(db, type, id);
    const actors = actorsOf(db, [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))]);
    return c.json(
      {
        rows: rows.map((r) => {
          const who = r.actorId ? actors.get(r.actorId) : undefined;
          return {
          seq: r.seq,
          at: toShanghaiIso(r.at),
          actor: who?.phone ?? null,
          actorName: who?.name ?? null,
          actorKind: who?.kind ?? null,
          action: r.action,
          subjectType: r.subjectType,
          subjectId: r.subjectId,
          before: r.before ? JSON.parse(r.before) : null,
          after: r.after ? JSON.parse(r.after) : null,
          reason: r.reason,
          hash: r.hash,
          };
        }),
      },
      200,
    );
  });
  return app;
}
