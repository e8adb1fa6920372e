import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH, sheetDiffers, verifyChain, type AuditFields, type SheetFields } from '../../server/domain/audit.ts';

type Row = AuditFields & { prevHash: string; hash: string };
type Content = Omit<AuditFields, 'seq' | 'at'>;

/** Link rows the way the store appends them: seq from 1, each pointing at the previous hash. */
function chain(contents: Content[], t0 = Date.parse('2026-11-27T10:00:00+08:00')): Row[] {
  let prev = GENESIS_HASH;
  return contents.map((c, i) => {
    const fields: AuditFields = { seq: i + 1, at: t0 + i * 1000, ...c };
    const row = { ...fields, prevHash: prev, hash: auditHash(prev, fields) };
    prev = row.hash;
    return row;
  });
}

const contentArb: fc.Arbitrary<Content> = fc.record({
  actorId: fc.option(fc.uuid(), { nil: null }),
  action: fc.constantFrom('household.confirm', 'entry.hide', 'round.transition', 'like.void', 'plate.issue'),
  subjectType: fc.constantFrom('household', 'entry', 'round', 'like', 'plate'),
  subjectId: fc.uuid(),
  before: fc.option(fc.json(), { nil: null }),
  after: fc.option(fc.json(), { nil: null }),
  reason: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
});

const FIELDS = ['seq', 'at', 'actorId', 'action', 'subjectType', 'subjectId', 'before', 'after', 'reason', 'prevHash', 'hash'] as const;

/** A value for `field` that differs from the current one. */
function altered(row: Row, field: (typeof FIELDS)[number]): Row {
  const value = row[field];
  let next: string | number | null;
  if (typeof value === 'number') next = value + 1;
  else if (field === 'prevHash' || field === 'hash') next = (value as string).slice(0, -1) + ((value as string).endsWith('0') ? '1' : '0');
  else if (value === null) next = '';
  else if (field === 'actorId' || field === 'before' || field === 'after' || field === 'reason') next = null;
  else next = `${value}x`;
  return { ...row, [field]: next };
}

describe('auditHash', () => {
  const row: AuditFields = {
    seq: 1,
    at: Date.parse('2026-11-27T10:00:00+08:00'),
    actorId: 'a1',
    action: 'household.confirm',
    subjectType: 'household',
    subjectId: 'h1',
    before: '{"status":"pending"}',
    after: '{"status":"confirmed"}',
    reason: null,
  };

  it('is a SHA-256 hex digest, the same for the same input', () => {
    expect(auditHash(GENESIS_HASH, row)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...row })).toBe(auditHash(GENESIS_HASH, row));
  });

  it('depends on the previous hash', () => {
    expect(auditHash('f'.repeat(64), row)).not.toBe(auditHash(GENESIS_HASH, row));
  });

  it.each([
    ['reason', null, 'null'],
    ['reason', null, ''],
    ['actorId', 'a1', 'a2'],
    ['subjectId', 'h1', 'h1 '],
  ] as const)('tells %s = %j from %j', (field, a, b) => {
    expect(auditHash(GENESIS_HASH, { ...row, [field]: a })).not.toBe(auditHash(GENESIS_HASH, { ...row, [field]: b }));
  });

  it('does not let text move between fields (action "a", type "b,c" ≠ action "a,b", type "c")', () => {
    expect(auditHash(GENESIS_HASH, { ...row, action: 'a', subjectType: 'b","c' })).not.toBe(
      auditHash(GENESIS_HASH, { ...row, action: 'a","b', subjectType: 'c' }),
    );
  });
});

describe('verifyChain', () => {
  it('an empty log verifies', () => {
    expect(verifyChain([])).toEqual({ ok: true, rows: 0 });
  });

  it('reads any iterable, as the store streams rows', () => {
    const rows = chain([{ actorId: null, action: 'seed', subjectType: 'meta', subjectId: 'demo', before: null, after: null, reason: null }]);
    function* stream() {
      yield* rows;
    }
    expect(verifyChain(stream())).toEqual({ ok: true, rows: 1 });
  });

  it('the first row must point at the genesis hash', () => {
    const [first] = chain([{ actorId: null, action: 'x', subjectType: 'y', subjectId: 'z', before: null, after: null, reason: null }]);
    const fields: AuditFields = { ...first! };
    const forged = { ...fields, prevHash: 'a'.repeat(64), hash: auditHash('a'.repeat(64), fields) };
    expect(verifyChain([forged])).toMatchObject({ ok: false, brokenSeq: 1 });
  });

  it('property: a chain as written verifies', () => {
    fc.assert(
      fc.property(fc.array(contentArb, { maxLength: 30 }), (contents) => {
        expect(verifyChain(chain(contents))).toEqual({ ok: true, rows: contents.length });
      }),
    );
  });

  it('property: altering any field of any row is caught at that row', () => {
    fc.assert(
      fc.property(
        fc.array(contentArb, { minLength: 1, maxLength: 20 }).chain((contents) =>
          fc.tuple(fc.constant(contents), fc.nat({ max: contents.length - 1 }), fc.constantFrom(...FIELDS)),
        ),
        ([contents, i, field]) => {
          const rows = chain(contents);
          rows[i] = altered(rows[i]!, field);
          const check = verifyChain(rows);
          expect(check.ok).toBe(false);
          if (check.ok) return;
          expect(check.rows).toBe(i + 1);
          expect(check.brokenSeq).toBe(rows[i]!.seq);
          if (field !== 'seq') expect(check.brokenSeq).toBe(i + 1);
        },
      ),
    );
  });

  it('property: re-hashing an altered row to hide the change is caught at the next row', () => {
    fc.assert(
      fc.property(
        fc.array(contentArb, { minLength: 2, maxLength: 20 }).chain((contents) =>
          fc.tuple(fc.constant(contents), fc.nat({ max: contents.length - 2 })),
        ),
        ([contents, i]) => {
          const rows = chain(contents);
          const forged: AuditFields = { ...rows[i]!, reason: `${rows[i]!.reason ?? ''}（已改）` };
          rows[i] = { ...forged, prevHash: rows[i]!.prevHash, hash: auditHash(rows[i]!.prevHash, forged) };
          expect(verifyChain(rows)).toMatchObject({ ok: false, rows: i + 2, brokenSeq: i + 2 });
        },
      ),
    );
  });

  it('property: deleting a row (but the last) is caught at the row after it', () => {
    fc.assert(
      fc.property(
        fc.array(contentArb, { minLength: 2, maxLength: 20 }).chain((contents) =>
          fc.tuple(fc.constant(contents), fc.nat({ max: contents.length - 2 })),
        ),
        ([contents, i]) => {
          const rows = chain(contents);
          rows.splice(i, 1);
          expect(verifyChain(rows)).toMatchObject({ ok: false, rows: i + 1, brokenSeq: i + 2 });
        },
      ),
    );
  });

  it('property: swapping two rows is caught at the earlier position, naming the row now there', () => {
    fc.assert(
      fc.property(
        fc.array(contentArb, { minLength: 2, maxLength: 20 }).chain((contents) =>
          fc
            .uniqueArray(fc.nat({ max: contents.length - 1 }), { minLength: 2, maxLength: 2 })
            .map(([a, b]) => [contents, Math.min(a!, b!), Math.max(a!, b!)] as const),
        ),
        ([contents, i, j]) => {
          const rows = chain(contents);
          [rows[i], rows[j]] = [rows[j]!, rows[i]!];
          expect(verifyChain(rows)).toMatchObject({ ok: false, rows: i + 1, brokenSeq: j + 1 });
        },
      ),
    );
  });
});

describe('sheetDiffers: a score sheet against its last audit record', () => {
  const sent: SheetFields = { passed: true, points: { hygiene: 35, beautification: 25 }, comment: '院子很整洁' };
  it.each<[string, SheetFields | null, string | null]>([
    ['as sent', { ...sent, points: { beautification: 25, hygiene: 35 } }, null],
    ['a point changed', { ...sent, points: { hygiene: 38, beautification: 25 } }, 'hygiene 35, recorded 38'],
    ['a criterion added', { ...sent, points: { ...sent.points, culture: 10 } }, 'culture -, recorded 10'],
    ['the check turned', { ...sent, passed: false }, 'check passed true, recorded false'],
    ['the comment rewritten', { ...sent, comment: '' }, 'comment changed'],
    ['no record at all', null, 'no audit record of this sheet (sheet.submit or sheet.replace)'],
  ])('%s', (_label, recorded, problem) => {
    expect(sheetDiffers(sent, recorded)).toBe(problem);
  });
});
