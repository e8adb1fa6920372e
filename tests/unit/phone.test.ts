import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPhone, normalizePhone } from '../../server/domain/phone.ts';

describe('normalizePhone: what people type folds to 11 digits', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['+86-138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['(+86) 138 0013 8000', '13800138000'],
    ['（+86）13800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['１３８ ００１３ ８０００', '13800138000'],
    ['+86 １３９-５９２２-６６６６', '13959226666'],
    [' 13800138000\t', '13800138000'],
  ])('%j → %s', (typed, folded) => {
    expect(normalizePhone(typed)).toBe(folded);
    expect(isPhone(normalizePhone(typed))).toBe(true);
  });
});

describe('isPhone: a mainland mobile number, 11 digits starting 13–19', () => {
  it.each([
    ['13800138000', true],
    ['19912345678', true],
    ['15059226666', true],
    ['138001380001', false], // 12 digits
    ['1380013800', false], // 10 digits
    ['12800138000', false], // starts with 12
    ['10800138000', false],
    ['23800138000', false],
    ['1380013800a', false],
    ['+8613800138000', false], // not normalised
    ['138 0013 8000', false],
    ['', false],
  ])('%j → %s', (input, ok) => {
    expect(isPhone(input)).toBe(ok);
  });

  it.each([
    ['+86 128 0013 8000'],
    ['8613800138000'], // 86 without + or 00 is not a country code we strip
    ['138-0013-80001'],
  ])('%j stays invalid after folding', (typed) => {
    expect(isPhone(normalizePhone(typed))).toBe(false);
  });

  it('property: a valid number survives any mix of +86, spaces, dashes and full-width digits', () => {
    const digit = (d: string, wide: boolean) => (wide ? String.fromCharCode(d.charCodeAt(0) + 0xfee0) : d);
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom('', '', ' ', '-')), { minLength: 11, maxLength: 11 }),
        fc.constantFrom('', '+86', '+86 ', '0086', '(+86)'),
        (second, rest, styles, prefix) => {
          const phone = `1${second}${rest.join('')}`;
          const typed = prefix + [...phone].map((d, i) => digit(d, styles[i]![0]) + styles[i]![1]).join('');
          expect(normalizePhone(typed)).toBe(phone);
          expect(isPhone(normalizePhone(typed))).toBe(true);
        },
      ),
    );
  });
});
