import { createRequire } from 'node:module';
import { conflict } from './errors.ts';

/**
 * pinyin-pro carries a dictionary of ~17 MB in memory and is needed only when plates are
 * issued: it is loaded then, not with the server.
 */
let pinyinLib: typeof import('pinyin-pro') | undefined;
const loadPinyin = () => (pinyinLib ??= createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro'));

const CN_DIGITS = ['零', '一', '二', '三', '四', '五'];

export type AwardKind = 'half_year' | 'single' | 'monthly';

/** What a result awards: half-year stars, a single evaluation's stars, or a month's 美丽庭院. */
export function awardKind(resultKind: 'round' | 'half_year', campaignFormat: string): AwardKind {
  if (resultKind === 'half_year') return 'half_year';
  return campaignFormat === 'monthly' ? 'monthly' : 'single';
}

/** The words of an award, on its plate and in the reward ledger alike (2026年上半年 四星级美丽庭院). */
export function plateTitle(kind: AwardKind, period: string, stars: number): string {
  const level = stars > 0 ? `${CN_DIGITS[stars]}星级` : '';
  if (kind === 'half_year') {
    const [year, half] = period.split('H');
    return `${year}年${half === '1' ? '上' : '下'}半年 ${level}美丽庭院`;
  }
  if (kind === 'monthly') {
    const [year, month] = period.split('-');
    return `${year}年${Number(month)}月 美丽庭院`;
  }
  return `${period.slice(0, 4)}年 ${level}最美卫生庭院`;
}

/** The serial's period part: 2026H1 as is, a month 2026-07 as 202607, a single window by its year. */
export function serialPeriod(kind: AwardKind, period: string): string {
  if (kind === 'half_year') return period;
  if (kind === 'monthly') return period.replace('-', '');
  return period.slice(0, 4);
}

/** Initials of a village's name in pinyin (岭畔村 → LP); the trailing 村/社区 is left out. */
export function villageInitials(name: string): string {
  const core = name.replace(/(村|社区|居委会|村委会)$/, '') || name;
  const letters = loadPinyin().pinyin(core, { pattern: 'first', toneType: 'none', type: 'array' })
    .map((l) => l.toUpperCase())
    .filter((l) => /^[A-Z]$/.test(l));
  return letters.join('') || 'V';
}

/**
 * Honor plate serial, unique per deployment: county code, village initials, period and a
 * sequence within those (350582-LP-2026H1-0007).
 */
export function plateSerial(countyCode: string, initials: string, period: string, seq: number): string {
  return `${countyCode}-${initials}-${period}-${String(seq).padStart(4, '0')}`;
}

export const SERIAL_RE = /^\d{6}-[A-Z]{1,12}-(\d{4}H[12]|\d{6}|\d{4})-\d{4,}$/;

/** The issuing body as it is written on a plate: 岭畔村委会 → 岭畔村村民委员会. */
export function issuerName(officialName: string, name: string): string {
  if (/村委会$/.test(officialName)) return `${name}村民委员会`;
  if (/居委会$/.test(officialName)) return `${name}居民委员会`;
  return officialName;
}

export type PlateStatus = 'issued' | 'revoked' | 'superseded';

export const PLATE_STATUS_LABELS: Record<PlateStatus, string> = { issued: '有效', revoked: '已撤销', superseded: '已被新门牌取代' };

/** A plate is revoked once, with a reason; a superseded or revoked plate stays as it is. */
export function assertMayRevoke(status: PlateStatus): void {
  if (status === 'revoked') throw conflict('plate_revoked', '这块门牌已经撤销。');
  if (status === 'superseded') throw conflict('plate_superseded', '这块门牌已被新一期的门牌取代，无需撤销。');
}
