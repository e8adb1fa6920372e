import { z } from 'zod';
import { PANEL_ROLES } from '../domain/scoring.ts';
import { Phone } from './auth.ts';
import { Criterion } from './campaigns.ts';
import { EntryStatus, Instant, Reason, RoundStatus, visibleText } from './common.ts';
import { HIDDEN_CHARACTER_PROBLEM } from '../domain/text.ts';
import { Entry } from './entries.ts';

export const PanelRole = z.enum(PANEL_ROLES, { error: '成员身份应为 镇干部、村干部、网格员 或 村民代表。' });

const PanelName = z.string().trim().min(1, '请填写考评组名称。').max(40, '考评组名称最多 40 个字。').refine(visibleText(false), `考评组名称${HIDDEN_CHARACTER_PROBLEM}`);
const PanelMembers = z
  .array(z.object({ phone: Phone, role: PanelRole, name: z.string().trim().min(1, '请填写成员姓名。').max(20, '成员姓名最多 20 个字。').refine(visibleText(false), `成员姓名${HIDDEN_CHARACTER_PROBLEM}`) }).strict())
  .min(1, '请至少添加一名成员。')
  .max(30, '考评组最多 30 人。');
const Quorum = z.number().int().min(1).max(20);

export const PanelCreate = z
  .object({
    name: PanelName,
    quorum: Quorum.optional(),
    villageIds: z.array(z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。')).min(1).optional(),
    members: PanelMembers,
  })
  .strict()
  .meta({ id: 'PanelCreate' });

/** A panel as it should be from now on: every member listed (one not listed leaves), and why. */
export const PanelChange = z
  .object({
    name: PanelName,
    quorum: Quorum,
    members: PanelMembers,
    reason: Reason,
  })
  .strict()
  .meta({ id: 'PanelChange' });

export const Panel = z
  .object({
    id: z.string(),
    name: z.string(),
    quorum: z.number().int(),
    villageIds: z.array(z.string()),
    members: z.array(z.object({ accountId: z.string(), role: z.string(), name: z.string(), phone: z.string() })),
    /** Taken off the panel: they score no more; the sheets they sent still count. */
    formerMembers: z.array(z.object({ accountId: z.string(), role: z.string(), name: z.string(), removedAt: Instant })),
    /** Sheets sent through this panel; from the first, its quorum stays. */
    sheetsSent: z.number().int(),
  })
  .meta({ id: 'Panel' });

export const SheetPut = z
  .object({
    passed: z.boolean({ error: '请选择实地核实是否通过（passed: true 或 false）。' }),
    points: z.record(z.string(), z.number({ error: '分数必须是数字。' })),
    comment: z.string().trim().max(500, '说明最多 500 字。').refine(visibleText(true), `说明${HIDDEN_CHARACTER_PROBLEM}`).default(''),
    idempotencyKey: z.string().min(8, '缺少评分表编号（idempotencyKey）。').max(64),
    /** Needed to change a sheet after reading the other members' sheets: why it changes. */
    revisionReason: Reason.optional(),
  })
  .strict()
  .meta({ id: 'ScoreSheetPut' });


/** A photo a panel member took in the courtyard. */
export const OnsitePhoto = z.object({ id: z.string(), thumbUrl: z.string(), displayUrl: z.string(), width: z.number(), height: z.number() });
export const SheetView = z.object({
  id: z.string(),
  member: z.string(),
  role: z.string(),
  passed: z.boolean(),
  points: z.record(z.string(), z.number()),
  comment: z.string(),
  submittedAt: Instant,
  updatedAt: Instant,
  photos: z.array(OnsitePhoto),
  /** Changed after its member read the others' sheets: the last change's time and reason, and the sheet as it was before. */
  revisedAfterViewing: z
    .object({ at: Instant, reason: z.string(), original: z.object({ passed: z.boolean(), points: z.record(z.string(), z.number()), comment: z.string() }) })
    .nullable(),
});

export const EntryScore = z
  .object({
    sheets: z.number().int(),
    quorum: z.number().int(),
    ranked: z.boolean(),
    disqualified: z.boolean(),
    failedChecks: z.number().int(),
    total: z.string().nullable(),
    explanation: z.string(),
    criteria: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        max: z.number(),
        mean: z.string(),
        values: z.array(z.number()),
        dropped: z.object({ high: z.number(), low: z.number() }).nullable(),
        spreadFlag: z.boolean(),
        explanation: z.string(),
      }),
    ),
  })
  .meta({ id: 'EntryScore' });

export const SheetPutResult = z.object({ sheet: SheetView, outcome: z.enum(['created', 'replaced', 'replayed']) }).meta({ id: 'ScoreSheetResult' });
export const SheetList = z.object({ sheets: z.array(SheetView), score: EntryScore }).meta({ id: 'ScoreSheets' });
export const RecusalRequest = z.object({ reason: Reason }).strict();

/** A member's own sheet as their queue carries it, with the key that makes sending it exactly-once. */
const MySheet = z.object({
  passed: z.boolean(),
  points: z.record(z.string(), z.number()),
  comment: z.string(),
  idempotencyKey: z.string(),
  updatedAt: Instant,
  /** When the member read the others' sheets: from then on a change needs a reason. */
  othersSeenAt: Instant.nullable(),
});

/** One courtyard of a panel member's queue. The panel sees door numbers and head names. */
const InspectionItem = z.object({
  entryId: z.string(),
  householdLabel: z.string(),
  headName: z.string(),
  doorNumber: z.string(),
  householdId: z.string(),
  qualifiedAt: Instant.nullable(),
  dueAt: Instant,
  overdue: z.boolean(),
  sheetsIn: z.number().int(),
  recused: z.boolean(),
  mySheet: MySheet.nullable(),
  /** The member's own on-site photos of this courtyard (they may come before the sheet). */
  myPhotos: z.array(OnsitePhoto),
  entry: Entry,
});

export const InspectionQueue = z
  .object({
    round: z.object({ id: z.string(), period: z.string(), status: RoundStatus }),
    campaign: z.object({ id: z.string(), title: z.string() }),
    panel: z.object({ id: z.string(), quorum: z.number().int(), role: z.string() }),
    rubric: z.array(Criterion),
    entries: z.array(InspectionItem),
  })
  .meta({ id: 'InspectionQueue' });

export const ScoringProgress = z
  .object({
    entries: z.array(
      z.object({
        entryId: z.string(),
        householdLabel: z.string(),
        headName: z.string(),
        doorNumber: z.string(),
        status: EntryStatus,
        score: EntryScore,
        /** Sheets changed after their member read the others' (each with its reason in the entry's sheets). */
        revisedSheets: z.number().int(),
        /** Members of the entry's panel who have neither scored it nor stepped aside, by name: whom to call. */
        waitingFor: z.array(z.string()),
        /** Members who stepped aside (relatives), by name. */
        recusedBy: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ScoringProgress' });
