import { msg, str } from '@lit/localize';
import { roundedApart } from '../server/domain/scoring';
import type { Criterion } from './api';
import { currentLocale } from './i18n/localization';
import type { CriterionScore, EntryScore } from './scoring-api';

/*
 * An entry's score in words (DESIGN §3 Aggregation), in the current language. The server sends
 * the same sentences in Chinese; they are rebuilt here from the figures so that English readers
 * get them too: "卫生 36.3 = 35、36、38 的平均（去掉最高 40 和最低 30）".
 */

/** A rubric criterion's name in the current language (the rubric carries an English name). */
export function criterionName(c: Pick<Criterion, 'name'> & { nameEn?: string }): string {
  return currentLocale() === 'en' && c.nameEn ? c.nameEn : c.name;
}

function list(values: number[]): string {
  return values.join(currentLocale() === 'en' ? ', ' : '、');
}

/** How one criterion's mean was made; `rubric` gives its English name. */
export function explainCriterion(c: CriterionScore, rubric: readonly Criterion[] = []): string {
  const name = criterionName({ name: c.name, nameEn: rubric.find((r) => r.key === c.key)?.nameEn });
  if (!c.values.length) return msg(str`${name}：尚无评分`, { id: 'score.criterion.none' });
  const sorted = [...c.values].sort((a, b) => a - b);
  if (c.dropped) {
    return msg(str`${name} ${c.mean} = ${list(sorted.slice(1, -1))} 的平均（去掉最高 ${c.dropped.high} 和最低 ${c.dropped.low}）`, {
      id: 'score.criterion.trimmed',
    });
  }
  if (sorted.length === 1) return msg(str`${name} ${c.mean}（目前只有 1 份评分）`, { id: 'score.criterion.one' });
  return msg(str`${name} ${c.mean} = ${list(sorted)} 的平均`, { id: 'score.criterion.mean' });
}

/** The total, or why there is none yet (too few sheets, or the on-site check failed). */
export function explainTotal(s: EntryScore): string {
  if (s.disqualified) {
    return msg(str`${s.sheets} 份评分表中有 ${s.failedChecks} 份认为实地核实未通过，超过半数，取消资格。`, { id: 'score.total.disqualified' });
  }
  if (s.sheets < s.quorum) {
    return msg(str`已收到 ${s.sheets} 份评分表，少于最少 ${s.quorum} 份，暂不排名。`, { id: 'score.total.belowQuorum' });
  }
  const sum = s.criteria.map((c) => c.mean).join(' + ');
  const words = s.criteria.some((c) => c.dropped)
    ? msg(str`总分 ${s.total ?? '—'} = ${sum}（${s.sheets} 份评分表，各项去掉一个最高分和一个最低分）`, { id: 'score.total.trimmed' })
    : msg(str`总分 ${s.total ?? '—'} = ${sum}（${s.sheets} 份评分表）`, { id: 'score.total' });
  // The total is the exact means added, then rounded: where the shown figures do not add up to it, say so.
  return s.total && roundedApart(s.total, s.criteria.map((c) => c.mean))
    ? `${words.replace(' = ', ' ≈ ')}${msg('；各项按未四舍五入的平均分相加，再保留一位小数', { id: 'score.total.rounding' })}`
    : words;
}

/** The criteria whose points spread by more than half their maximum. */
export function spreadCriteria(s: EntryScore, rubric: readonly Criterion[] = []): string[] {
  return s.criteria.filter((c) => c.spreadFlag).map((c) => criterionName({ name: c.name, nameEn: rubric.find((r) => r.key === c.key)?.nameEn }));
}
