import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../web/api.ts';
import { auditRowWords, entryStateLabel, missedThreshold, trailFacts, roundStatusLabel } from '../../web/i18n/labels.ts';

describe('the words for an entry and a round, as time passes', () => {
  it.each([
    ['submitted, likes open', 'submitted', true, '已提交，正在集赞', false],
    ['submitted, likes closed', 'submitted', false, '点赞已截止，未达标', true],
    ['qualified, likes closed', 'qualified', false, '已达标，等待实地核实', false],
    ['draft, likes closed', 'draft', false, '还没提交', false],
  ] as const)('%s: %s', (_case, status, likesOpen, label, missed) => {
    expect(entryStateLabel({ status, likesOpen })).toBe(label);
    expect(missedThreshold({ status, likesOpen })).toBe(missed);
  });

  it('without a like threshold (a single evaluation) a qualified entry is waiting for the visit, not said to have reached anything', () => {
    expect(entryStateLabel({ status: 'qualified', likesOpen: true, threshold: 0 })).toBe('已报名，等待实地核实');
    expect(entryStateLabel({ status: 'qualified', likesOpen: true, threshold: 50 })).toBe('已达标，等待实地核实');
  });

  it('an awarded entry of a month is a 美丽庭院; of a single evaluation (its round starts on a day), a star courtyard', () => {
    expect(entryStateLabel({ status: 'awarded', likesOpen: false, period: '2026-10' })).toBe('获评美丽庭院');
    expect(entryStateLabel({ status: 'awarded', likesOpen: false, period: '2026-11-01' })).toBe('获评星级庭院');
    expect(entryStateLabel({ status: 'not_awarded', likesOpen: false, period: '2026-11-01' })).toBe('本轮未获评');
  });

  it('a round still taking entries after its last day says that they are closed', () => {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(roundStatusLabel('entries_open', future)).toBe('报名中');
    expect(roundStatusLabel('entries_open', past)).toBe('报名已截止');
    expect(roundStatusLabel('entries_open')).toBe('报名中');
    expect(roundStatusLabel('inspecting', past)).toBe('实地核实中');
  });
});

/** What a label reads as on the page: a Lit template's text with its values in place (Chinese mode). */
function textOf(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (value && typeof value === 'object' && 'strings' in value && 'values' in value) {
    const { strings, values } = value as { strings: readonly string[]; values: unknown[] };
    return strings.map((s, i) => s + (i < values.length ? textOf(values[i]) : '')).join('');
  }
  return '';
}

describe('the words of an audit row of the results cycle', () => {
  const row = (action: string, fields: Partial<AuditRow> = {}): AuditRow => ({
    seq: 1,
    at: '2026-11-27T10:00:00.000+08:00',
    actor: '13900000002',
    actorName: null,
    actorKind: 'village_cadre',
    action,
    subjectType: 'result',
    subjectId: 'rs_1',
    before: null,
    after: null,
    reason: null,
    hash: '0'.repeat(64),
    ...fields,
  });
  const households = new Map([['hh_8', '陈家庭院（陈建国）']]);
  const filed = row('objection.file', { actor: '13900000130', actorKind: 'villager', after: { objectionId: 'ob_1', householdId: 'hh_8' } });
  const announced = row('results.announce', { seq: 3, after: { objectionDeadline: '2026-11-29T23:59:59.999+08:00', days: 2 } });
  const onAnnouncing = row('results.compute', { seq: 2, after: { version: 2, lines: 8, awarded: 6 } });
  const facts = trailFacts([row('results.compute', { after: { version: 1 } }), onAnnouncing, announced, { ...filed, seq: 4 }]);

  it.each([
    ['a computation, its version and counts', row('results.compute', { after: { version: 2, lines: 8, awarded: 5, stars: {}, lineRecords: 8 } }), '计算结果（第 2 版）：8 户参评，5 户获评'],
    ['a computation recorded without counts', row('results.compute', { after: { version: 1 } }), '计算结果（第 1 版）'],
    ['the computation announcing made, at the same instant', onAnnouncing, '公示时计算（第 2 版）：8 户参评，6 户获评'],
    ['a recomputation after an upheld objection', row('results.recompute', { after: { objectionId: 'ob_1', version: 3, lines: 8, awarded: 4, lineRecords: 8 } }), '异议成立后重新计算（第 3 版）：8 户参评，4 户获评'],
    ['the announcement, to the end of the objection period', row('results.announce', { after: { objectionDeadline: '2026-11-29T23:59:59.999+08:00', days: 2 } }), '公示（异议期至 2026年11月29日 23:59）'],
    ['the finalisation, with the rewards it entered', row('results.finalize', { after: { status: 'final', rewards: 5, rewardRecords: 5 } }), '定稿（录入奖励 5 项）'],
    ['an objection filed, about whom', filed, '对陈家庭院（陈建国）的结果提出异议'],
    ['an objection upheld, with its reason', row('objection.upheld', { subjectType: 'objection', subjectId: 'ob_1', reason: '经复查属实。' }), '关于陈家庭院（陈建国）的异议成立：经复查属实。'],
    ['an objection dismissed, with its reason', row('objection.dismissed', { subjectType: 'objection', subjectId: 'ob_1', reason: '打分有据。' }), '关于陈家庭院（陈建国）的异议不成立：打分有据。'],
    ['a photo added to an objection', row('objection.photo', { subjectType: 'objection', subjectId: 'ob_1', after: { photoId: 'op_1' } }), '为关于陈家庭院（陈建国）的异议补充照片'],
    ['an objection about a family the trail cannot name', row('objection.upheld', { subjectType: 'objection', subjectId: 'ob_9', reason: '属实。' }), '异议成立：属实。'],
    ['a plate issued, with what it says', row('plate.issue', { subjectType: 'plate', after: { title: '2026年上半年 三星级美丽庭院', holderName: '蔡丽华', stars: 3 } }), '颁发门牌：2026年上半年 三星级美丽庭院，蔡丽华'],
    ['a plate issued in place of a revoked one', row('plate.issue', { subjectType: 'plate', after: { title: '2026年上半年 三星级美丽庭院', holderName: '蔡丽华', replacing: '350582-YW-2026H1-0006' } }), '重新颁发门牌，代替已撤销的 350582-YW-2026H1-0006：2026年上半年 三星级美丽庭院，蔡丽华'],
    ['a plate superseded', row('plate.supersede', { subjectType: 'plate', after: { status: 'superseded', supersededBy: '350582-YW-202610-0001' } }), '由新门牌 350582-YW-202610-0001 取代'],
    ['a plate revoked, with the reason', row('plate.revoke', { subjectType: 'plate', reason: '门牌信息有误。' }), '撤销门牌：门牌信息有误。'],
    ['a reward marked paid: the day, who handed it over, the note', row('reward.paid', { subjectType: 'reward', after: { status: 'paid', paidOn: '2026-09-22', payer: '林秀琴', note: '户主签收' } }), '标记已发放（2026年9月22日，发放人：林秀琴）：户主签收'],
    ['a family phone added (as before)', row('household.member_add', { subjectType: 'household', after: { phone: '13700000001' } }), '添加家人手机号：13700000001'],
    ['an action without words of its own', row('something.new'), 'something.new'],
  ])('%s', (_case, r, words) => {
    expect(textOf(auditRowWords(r, facts, { households }))).toBe(words);
  });

  it('a computation made a while before announcing is one the cadre asked for', () => {
    const earlier = row('results.compute', { seq: 2, at: '2026-11-27T09:00:00.000+08:00', after: { version: 2, lines: 8, awarded: 6 } });
    expect(textOf(auditRowWords(earlier, trailFacts([earlier, announced])))).toBe('计算结果（第 2 版）：8 户参评，6 户获评');
  });
});
