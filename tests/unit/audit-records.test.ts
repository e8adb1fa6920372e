import { describe, expect, it } from 'vitest';
import {
  checkPlate,
  checkResult,
  checkRewards,
  countsDiffer,
  lineCounts,
  lineRecord,
  linesDiffer,
  plateIssued,
  readAuditedRecords,
  rewardRecord,
  type AuditRowIn,
  type StoredLine,
  type StoredPlate,
  type StoredResult,
  type StoredReward,
} from '../../server/domain/audit-records.ts';

const T = Date.parse('2026-11-01T10:00:00+08:00');
const DAY = 86_400_000;
const CADRE = 'ac_cadre';

const line = (householdId: string, o: Partial<StoredLine> = {}): StoredLine => ({
  householdId,
  villageId: 'vi_1',
  entryId: `en_${householdId}`,
  rank: 1,
  total: '187/2',
  criteria: '[{"key":"hygiene","mean":"36.0"}]',
  sheets: 5,
  awarded: 1,
  stars: 0,
  reason: '总分 93.5，达到 80 分',
  detail: '{}',
  excludedReason: null,
  ...o,
});

const LINES = [line('hh_a'), line('hh_b', { rank: 2, total: '85/1' }), line('hh_c', { rank: 3, total: '70/1', awarded: 0 })];

let seq = 0;
const row = (action: string, subjectType: string, subjectId: string, after: unknown, o: Partial<AuditRowIn> = {}): AuditRowIn => ({
  seq: ++seq,
  at: T + seq * 1000,
  actorId: CADRE,
  action,
  subjectType,
  subjectId,
  after: after === undefined ? null : JSON.stringify(after),
  reason: null,
  ...o,
});

/** What a results.compute row holds now, and what it held before lines were recorded one by one. */
const computed = (lines: StoredLine[], version = 1) => ({ kind: 'round', period: '2026-10', campaignId: 'cp_1', roundId: 'rd_1', version, ...lineCounts(lines.map(lineRecord)), lineRecords: lines.map(lineRecord) });
const computedBefore = (lines: StoredLine[], version = 1) => ({ kind: 'round', period: '2026-10', version, ...lineCounts(lines.map(lineRecord)) });

/** The stored result as the app leaves it after these rows. */
function resultAfter(rows: AuditRowIn[], o: Partial<StoredResult> = {}): StoredResult {
  const at = (action: string) => rows.filter((r) => r.action === action).at(-1);
  const lineWrite = rows.filter((r) => ['results.compute', 'results.recompute', 'objection.upheld'].includes(r.action)).at(-1)!;
  const announce = at('results.announce');
  const finalize = at('results.finalize');
  return {
    id: 'rs_1',
    campaignId: 'cp_1',
    roundId: 'rd_1',
    kind: 'round',
    period: '2026-10',
    status: finalize ? 'final' : announce ? 'announced' : 'draft',
    version: rows.filter((r) => r.action === 'results.compute').length + rows.filter((r) => r.action === 'objection.upheld').length,
    computedAt: lineWrite.at,
    computedBy: CADRE,
    announcedAt: announce?.at ?? null,
    announcedBy: announce ? CADRE : null,
    objectionDeadline: announce ? Date.parse('2026-11-06T23:59:59.999+08:00') : null,
    finalizedAt: finalize?.at ?? null,
    finalizedBy: finalize ? CADRE : null,
    ...o,
  };
}

const announced = () => row('results.announce', 'result', 'rs_1', { objectionDeadline: '2026-11-06T23:59:59.999+08:00', days: 5 });

describe('lineRecord: what the audit row keeps of a line', () => {
  const base = lineRecord(line('hh_a'));
  it('keeps the household, rank, total, awarded, stars and exclusion in clear, and a 64-bit digest of the rest', () => {
    expect(base.slice(0, 6)).toEqual(['hh_a', 1, '187/2', 1, 0, null]);
    expect(base[6]).toMatch(/^[0-9a-f]{16}$/);
    expect(lineRecord(line('hh_a'))).toEqual(base);
  });
  it.each<[string, Partial<StoredLine>]>([
    ['entry', { entryId: 'en_other' }],
    ['village', { villageId: 'vi_2' }],
    ['criteria means', { criteria: '[{"key":"hygiene","mean":"39.0"}]' }],
    ['sheet count', { sheets: 4 }],
    ['reason', { reason: '总分 99' }],
    ['half-year months', { detail: '{"months":[]}' }],
  ])('a change of its %s changes the digest', (_label, change) => {
    expect(lineRecord(line('hh_a', change))[6]).not.toBe(base[6]);
  });
});

describe('linesDiffer: stored lines against their record', () => {
  const recorded = LINES.map(lineRecord);
  it.each<[string, StoredLine[], Array<{ householdId: string; problem: string }>]>([
    ['as written', LINES, []],
    ['a loser made a winner', [LINES[0]!, LINES[1]!, { ...LINES[2]!, awarded: 1 }], [{ householdId: 'hh_c', problem: 'awarded yes, recorded no' }]],
    [
      'two ranks swapped',
      [{ ...LINES[0]!, rank: 2 }, { ...LINES[1]!, rank: 1 }, LINES[2]!],
      [
        { householdId: 'hh_a', problem: 'rank 2, recorded 1' },
        { householdId: 'hh_b', problem: 'rank 1, recorded 2' },
      ],
    ],
    ['a total raised, whole points shown without /1', [LINES[0]!, { ...LINES[1]!, total: '95/1' }, LINES[2]!], [{ householdId: 'hh_b', problem: 'total 95, recorded 85' }]],
    ['stars given', [LINES[0]!, LINES[1]!, { ...LINES[2]!, stars: 3 }], [{ householdId: 'hh_c', problem: 'stars 3, recorded 0' }]],
    ['taken out of the results', [{ ...LINES[0]!, excludedReason: '手工' }, LINES[1]!, LINES[2]!], [{ householdId: 'hh_a', problem: 'excluded yes, recorded no' }]],
    ['a criterion mean changed', [{ ...LINES[0]!, criteria: '[{"key":"hygiene","mean":"40.0"}]' }, LINES[1]!, LINES[2]!], [{ householdId: 'hh_a', problem: 'its other details (entry, criteria means, sheet count, reason or months) changed' }]],
    ['a line added', [...LINES, line('hh_d', { rank: null })], [{ householdId: 'hh_d', problem: 'not in the audit record: the line was added outside the app' }]],
    ['a line removed', [LINES[0]!, LINES[2]!], [{ householdId: 'hh_b', problem: 'missing: the audit record has this line' }]],
  ])('%s', (_label, stored, expected) => {
    expect(linesDiffer(stored.map(lineRecord), recorded)).toEqual(expected);
  });

  it('names a changed reason for an exclusion', () => {
    const excluded = [line('hh_a', { rank: null, awarded: 0, excludedReason: '经复查属实' })];
    expect(linesDiffer([lineRecord({ ...excluded[0]!, excludedReason: '另一个理由' })], excluded.map(lineRecord))).toEqual([{ householdId: 'hh_a', problem: 'reason it was excluded changed' }]);
  });
});

describe('countsDiffer: lines against the counts an older row holds', () => {
  const counts = lineCounts([...LINES, line('hh_d', { stars: 4 }), line('hh_e', { stars: 4 }), line('hh_f', { stars: 5 })].map(lineRecord));
  it.each<[string, Parameters<typeof countsDiffer>[0], string | null]>([
    ['the same', counts, null],
    ['one more awarded', { ...counts, awarded: counts.awarded + 1 }, 'lines awarded 6, recorded 5'],
    ['a line gone', { ...counts, lines: counts.lines - 1 }, 'lines 5, recorded 6'],
    ['a four-star made five', { ...counts, stars: { 4: 1, 5: 2 } }, 'lines with 4 stars 1, recorded 2; lines with 5 stars 2, recorded 1'],
  ])('%s', (_label, stored, expected) => {
    expect(countsDiffer(stored, counts)).toBe(expected);
  });
});

describe('checkResult: a result set against its audit rows', () => {
  it('reads as recorded through compute, a recompute, announce and finalise', () => {
    const rows = [row('results.compute', 'result', 'rs_1', computed(LINES)), row('results.compute', 'result', 'rs_1', computed(LINES, 2)), announced(), row('results.finalize', 'result', 'rs_1', { status: 'final', rewards: 0, rewardRecords: [] })];
    const audited = readAuditedRecords(rows).results.get('rs_1');
    expect(checkResult(resultAfter(rows), LINES.map(lineRecord), audited)).toEqual({ findings: [], lines: 'each' });
  });

  it.each<[string, Partial<StoredResult>, string]>([
    ['a final result set back to announced, to reopen objections', { status: 'announced', finalizedAt: null, finalizedBy: null }, 'status announced, recorded final; finalised at -, recorded 2026-11-01T10:00:'],
    ['its objection period made longer', { objectionDeadline: Date.parse('2026-11-09T23:59:59.999+08:00') }, 'objection deadline 2026-11-09T23:59:59.999+08:00, recorded 2026-11-06T23:59:59.999+08:00'],
    ['its version put back, to match an older printed notice', { version: 1 }, 'version 1, recorded 2'],
    ['moved to another campaign', { campaignId: 'cp_2' }, 'campaign cp_2, recorded cp_1'],
  ])('names %s', (_label, change, problem) => {
    const rows = [row('results.compute', 'result', 'rs_1', computed(LINES)), row('results.compute', 'result', 'rs_1', computed(LINES, 2)), announced(), row('results.finalize', 'result', 'rs_1', { status: 'final', rewards: 0, rewardRecords: [] })];
    const { findings } = checkResult(resultAfter(rows, change), LINES.map(lineRecord), readAuditedRecords(rows).results.get('rs_1'));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.subject).toBe('result rs_1 (round 2026-10)');
    expect(findings[0]!.problem).toContain(problem);
  });

  it('names a result set no audit row made', () => {
    expect(checkResult(resultAfter([row('results.compute', 'result', 'rs_1', computed(LINES))]), [], undefined).findings[0]!.problem).toBe('no audit record of it (results.compute): it was not made by the app');
  });

  it('holds lines recomputed by an upheld objection to the results.recompute row that follows it', () => {
    const after = [LINES[1]!, LINES[2]!, line('hh_a', { rank: null, awarded: 0, excludedReason: '经复查属实' })];
    const rows = [
      row('results.compute', 'result', 'rs_1', computed(LINES)),
      announced(),
      row('objection.file', 'result', 'rs_1', { objectionId: 'ob_1', householdId: 'hh_a' }),
      row('objection.upheld', 'objection', 'ob_1', { status: 'upheld' }),
      row('results.recompute', 'result', 'rs_1', { objectionId: 'ob_1', version: 2, ...lineCounts(after.map(lineRecord)), lineRecords: after.map(lineRecord) }),
    ];
    rows[4]!.at = rows[3]!.at;
    const audited = readAuditedRecords(rows).results.get('rs_1');
    expect(checkResult(resultAfter(rows), after.map(lineRecord), audited)).toEqual({ findings: [], lines: 'each' });
    // the household reinstated by hand
    const reinstated = checkResult(resultAfter(rows), [...after.slice(0, 2), LINES[0]!].map(lineRecord), audited);
    expect(reinstated.findings.map((f) => [f.subject, f.problem])).toEqual([['result rs_1 (round 2026-10), line of household hh_a', 'rank 1, recorded -; awarded yes, recorded no; excluded no, recorded yes']]);
  });

  it('rows written before line records were kept: lines held to their counts, and after an unrecorded recompute not judged', () => {
    const rows = [row('results.compute', 'result', 'rs_1', computedBefore(LINES)), announced()];
    const audited = () => readAuditedRecords(rows).results.get('rs_1');
    expect(checkResult(resultAfter(rows), LINES.map(lineRecord), audited())).toEqual({ findings: [], lines: 'counted' });
    const made = checkResult(resultAfter(rows), [LINES[0]!, LINES[1]!, { ...LINES[2]!, awarded: 1 }].map(lineRecord), audited());
    expect(made.findings.map((f) => [f.subject, f.problem])).toEqual([['result rs_1 (round 2026-10), its lines', 'lines awarded 3, recorded 2']]);
    // An objection upheld then bumped the version and recomputed the lines without a record of them.
    rows.push(row('objection.file', 'result', 'rs_1', { objectionId: 'ob_1', householdId: 'hh_a' }), row('objection.upheld', 'objection', 'ob_1', { status: 'upheld' }));
    const recomputed = [{ ...LINES[0]!, rank: null, awarded: 0, excludedReason: '属实' }, { ...LINES[1]!, rank: 1 }, LINES[2]!];
    expect(checkResult(resultAfter(rows), recomputed.map(lineRecord), audited())).toEqual({ findings: [], lines: 'unchecked' });
  });
});

describe('checkPlate: a plate against its issue, supersede, revoke and reissue rows', () => {
  const issued = (serial: string, o: Partial<StoredPlate> = {}): StoredPlate => ({
    serial,
    resultId: 'rs_1',
    campaignId: 'cp_1',
    householdId: 'hh_a',
    villageId: 'vi_1',
    period: '2026H1',
    stars: 4,
    title: '2026年上半年 四星级美丽庭院',
    holderName: '陈建国',
    issuer: '洋尾村村民委员会',
    issuedAt: T,
    issuedBy: CADRE,
    status: 'issued',
    supersededBy: null,
    revokedAt: null,
    revokedBy: null,
    revokedReason: null,
    ...o,
  });
  const issue = (p: StoredPlate, extra: Record<string, unknown> = {}) => row('plate.issue', 'plate', p.serial, { ...plateIssued(p), ...extra }, { at: p.issuedAt });

  it('follows a plate revoked by mistake and one issued in its place', () => {
    const first = issued('P-1');
    const revoke = row('plate.revoke', 'plate', 'P-1', { status: 'revoked' }, { reason: '门牌信息有误' });
    const second = issued('P-2', { issuedAt: T + 9 * DAY });
    const audited = readAuditedRecords([issue(first), revoke, issue(second, { replacing: 'P-1' })]).plates;
    const revoked = { ...first, status: 'revoked', revokedAt: revoke.at, revokedBy: CADRE, revokedReason: '门牌信息有误', supersededBy: 'P-2' };
    expect(checkPlate(revoked, audited.get('P-1'))).toEqual({ finding: null, fullyRecorded: true });
    expect(checkPlate(second, audited.get('P-2'))).toEqual({ finding: null, fullyRecorded: true });
    // Revoked, then made valid again by hand
    expect(checkPlate({ ...revoked, status: 'issued' }, audited.get('P-1')).finding?.problem).toBe('status issued, recorded revoked');
  });

  it.each<[string, Partial<StoredPlate>, string]>([
    ['its holder renamed', { holderName: '王五' }, 'holder 王五, recorded 陈建国'],
    ['a star added', { stars: 5, title: '2026年上半年 五星级美丽庭院' }, 'stars 5, recorded 4; title 2026年上半年 五星级美丽庭院, recorded 2026年上半年 四星级美丽庭院'],
    ['given to another household', { householdId: 'hh_b' }, 'household hh_b, recorded hh_a'],
    ['superseded by hand', { status: 'superseded', supersededBy: 'P-9' }, 'status superseded, recorded issued; superseded by P-9, recorded -'],
  ])('names a plate with %s', (_label, change, problem) => {
    const plate = issued('P-1');
    expect(checkPlate({ ...plate, ...change }, readAuditedRecords([issue(plate)]).plates.get('P-1')).finding).toEqual({ subject: `plate P-1 (household ${change.householdId ?? 'hh_a'})`, seq: expect.any(Number), problem });
  });

  it('names a plate no audit row issued, and holds an older issue row to what it recorded', () => {
    expect(checkPlate(issued('FAKE'), undefined).finding?.problem).toBe('no audit record of its issue (plate.issue): it was not issued by the app');
    const plate = issued('P-1');
    const older = row('plate.issue', 'plate', 'P-1', { resultId: 'rs_1', householdId: 'hh_a', title: plate.title }, { at: T });
    const audited = readAuditedRecords([older]).plates.get('P-1');
    expect(checkPlate({ ...plate, holderName: '王五' }, audited)).toEqual({ finding: null, fullyRecorded: false });
    expect(checkPlate({ ...plate, householdId: 'hh_b' }, audited).finding?.problem).toBe('household hh_b, recorded hh_a');
  });
});

describe('checkRewards: the ledger against the finalisation that entered it and each payment', () => {
  const reward = (id: string, o: Partial<StoredReward> = {}): StoredReward => ({
    id,
    resultId: 'rs_1',
    householdId: `hh_${id}`,
    villageId: 'vi_1',
    label: '2026年10月 美丽庭院',
    amountFen: 20000,
    goods: null,
    status: 'pending',
    createdAt: T,
    paidOn: null,
    payer: null,
    note: null,
    confirmedBy: null,
    confirmedAt: null,
    ...o,
  });
  const LEDGER = [reward('rw_1'), reward('rw_2', { goods: '花苗两盆' })];
  const finalize = row('results.finalize', 'result', 'rs_1', { status: 'final', rewards: 2, rewardRecords: LEDGER.map(rewardRecord) }, { at: T });
  const pay = row('reward.paid', 'reward', 'rw_1', { status: 'paid', paidOn: '2026-11-10', payer: '林秀琴', note: '' }, { at: T + 9 * DAY });
  const paid = { ...LEDGER[0]!, status: 'paid', paidOn: '2026-11-10', payer: '林秀琴', confirmedBy: CADRE, confirmedAt: pay.at };
  const check = (stored: StoredReward[], rows = [finalize, pay]) => {
    const audited = readAuditedRecords([row('results.compute', 'result', 'rs_1', computed(LINES)), ...rows]);
    return checkRewards('rs_1', stored, audited.results.get('rs_1')?.finalize, audited.payments);
  };

  it('reads as recorded: one paid, one pending', () => {
    expect(check([paid, LEDGER[1]!])).toEqual({ findings: [], entered: 'each' });
  });

  it.each<[string, StoredReward[], Array<[string, string]>]>([
    ['an amount raised', [{ ...paid, amountFen: 50000 }, LEDGER[1]!], [['reward rw_1 (household hh_rw_1, result rs_1)', 'amount_fen 50000, recorded 20000']]],
    ['a payment wiped, to pay it twice', [{ ...paid, status: 'pending', paidOn: null, payer: null, confirmedBy: null, confirmedAt: null }, LEDGER[1]!], [['reward rw_1 (household hh_rw_1, result rs_1)', 'status pending, recorded paid; paid on -, recorded 2026-11-10; payer -, recorded 林秀琴; confirmed by -, recorded ac_cadre; confirmed at -, recorded 2026-11-10T10:00:']]],
    ['marked paid without a record', [paid, { ...LEDGER[1]!, status: 'paid', paidOn: '2026-11-10', payer: '林秀琴' }], [['reward rw_2 (household hh_rw_2, result rs_1)', 'status paid, recorded pending; paid on 2026-11-10, recorded -; payer 林秀琴, recorded -']]],
    ['one removed', [paid], [['reward rw_2 (household hh_rw_2, result rs_1)', "missing from the ledger: its result's finalisation entered it"]]],
    ['one added', [paid, LEDGER[1]!, reward('rw_3')], [['reward rw_3 (household hh_rw_3, result rs_1)', "not among the rewards its result's finalisation entered"]]],
  ])('names %s', (_label, stored, expected) => {
    const { findings } = check(stored);
    expect(findings.map((f) => [f.subject, f.problem.replace(/(T10:00:)[\d.+:]+/, '$1')])).toEqual(expected);
  });

  it('names rewards of a result no finalisation entered, and holds an older finalise row to its count', () => {
    expect(check([LEDGER[0]!], [])).toEqual({ findings: [expect.objectContaining({ problem: 'no audit record of its entry: its result was not finalised by the app' })], entered: 'unchecked' });
    const older = row('results.finalize', 'result', 'rs_1', { status: 'final', rewards: 2 }, { at: T });
    expect(check([paid, { ...LEDGER[1]!, amountFen: 99900 }], [older, pay])).toEqual({ findings: [], entered: 'counted' });
    expect(check([paid], [older, pay]).findings.map((f) => [f.subject, f.problem])).toEqual([['result rs_1, its rewards', '1 in the ledger, recorded 2']]);
  });
});
