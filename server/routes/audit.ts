import { createRoute } from '@hono/zod-openapi';
import { AuditList, AuditQuery, type AuditSubjectType } from '../contracts/audit.ts';
import { auditTrail } from '../db/audit.ts';
import { campaignVillageIds, getCampaign, getRound } from '../db/campaigns.ts';
import type { Db } from '../db/client.ts';
import { getEntry } from '../db/entries.ts';
import { getHousehold } from '../db/households.ts';
import { getVillages } from '../db/places.ts';
import { getPlate } from '../db/plates.ts';
import { getResult } from '../db/results.ts';
import { villageOfReward } from '../db/rewards.ts';
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
  summary: 'The audit trail of one subject (household:…, entry:…, campaign:…, round:…, result:…, plate:<serial>, reward:…), for its cadres',
  description:
    "Who did what, when and why, oldest first. A result's trail holds the rows of its objections (filed, photos added, upheld or dismissed). Arrays of one record per household in a row's `after` are replaced by their length (see AuditRow.after).",
  security: cookieAuth,
  request: { query: AuditQuery },
  responses: { 200: json(AuditList), ...errors(400, 401, 403, 404) },
});

/** The villages a subject belongs to, whose cadres may read its trail; an unknown subject is 404. */
const villagesOf: Record<AuditSubjectType, (db: Db, id: string) => string[]> = {
  household: (db, id) => [getHousehold(db, id).villageId],
  entry: (db, id) => [getEntry(db, id).villageId],
  campaign: (db, id) => campaignVillageIds(db, getCampaign(db, id).id),
  round: (db, id) => campaignVillageIds(db, getRound(db, id).campaignId),
  result: (db, id) => campaignVillageIds(db, getResult(db, id).campaignId),
  plate: (db, id) => [getPlate(db, id).villageId],
  reward: (db, id) => [villageOfReward(db, id)],
};

export function auditRoutes() {
  const app = router();
  app.openapi(auditRoute, (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const [type, id] = c.req.valid('query').subject.split(':') as [AuditSubjectType, string];
    authorize(can.readAudit(actor, getVillages(db, villagesOf[type](db, id))), '只有相关村的村干部可以查看操作记录。');
    const rows = auditTrail(db, type, id);
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
