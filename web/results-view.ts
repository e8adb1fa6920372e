import { msg, str } from '@lit/localize';
import { css, html, nothing } from 'lit';
import { runByTown } from '../server/domain/campaigns';
import { isSingleRound, type PeriodPlace } from '../server/domain/results';
import { formatDate, formatDateTime, formatResultPeriod, formatYuan } from './format';
import { currentLocale } from './i18n/localization';
import { criterionName } from './score-explain';
import type { Objection, ResultLine, ResultSet, ResultStatus } from './results-api';
import { zh } from './i18n/server-text';

/*
 * Words and small templates shared by the results screens (public page, my household, cadre
 * console): star levels, award words, the status banner. Plain templates: the element that
 * renders them carries `sharedStyles` and `resultStyles`.
 */

const STAR_WORDS = ['', '一', '二', '三', '四', '五'];

/** 四星级 / 4-star */
export function starLevelLabel(n: number): string {
  if (n <= 0) return msg('未评星', { id: 'stars.none' });
  // Chinese says the number in words (四星级); English gets the figure (4-star)
  return currentLocale() === 'en' ? `${n}-star` : `${STAR_WORDS[n] ?? n}星级`;
}

/** ★★★★☆ with a spoken name: the stars are drawn, the level is read out. */
export function starsView(n: number) {
  if (n <= 0) return nothing;
  return html`<span class="stars" role="img" aria-label=${starLevelLabel(n)}>${'★'.repeat(n)}<span class="off">${'★'.repeat(Math.max(0, 5 - n))}</span></span>`;
}

/** What a line won: 美丽庭院 (a monthly award), a star level, or nothing. */
export function awardLabel(line: Pick<ResultLine, 'awarded' | 'stars' | 'excludedReason'>, kind: ResultSet['kind']): string {
  if (line.excludedReason) return msg('已取消', { id: 'result.excluded' });
  if (line.stars > 0) return starLevelLabel(line.stars);
  if (line.awarded) return kind === 'half_year' ? msg('星级庭院', { id: 'result.awardedStars' }) : msg('美丽庭院', { id: 'result.awarded' });
  return msg('未获评', { id: 'result.notAwarded' });
}

/** Ranked lines by rank; unranked ones (half-year stars) by star level, then total, highest first. */
export function orderLines(lines: readonly ResultLine[]): ResultLine[] {
  const total = (l: ResultLine) => (l.total === null ? -1 : Number(l.total));
  // Ranks are per village: a town's result reads village by village, each in its order.
  const several = spansVillages(lines);
  const village = (l: ResultLine) => (several ? l.village.name : '');
  return [...lines].sort((a, b) => village(a).localeCompare(village(b), 'zh-CN') || (a.rank ?? 1e9) - (b.rank ?? 1e9) || b.stars - a.stars || total(b) - total(a));
}

/** Whether a result's lines come from several villages (a town's campaign): each line then names its village. */
export function spansVillages(lines: readonly ResultLine[]): boolean {
  return lines.some((l) => l.village.id !== lines[0]!.village.id);
}

export function isWinner(line: ResultLine): boolean {
  return !line.excludedReason && (line.awarded || line.stars > 0);
}

/**
 * A result's heading: 2026年10月 评比结果, 2026年上半年 星级庭院; a single evaluation's, under its
 * title (`beside_title`), is just 评比结果, and on its own its title's 结果.
 */
export function resultHeading(r: Pick<ResultSet, 'kind' | 'period' | 'periodLabel'>, place: PeriodPlace): string {
  const period = formatResultPeriod(r, place);
  if (r.kind === 'half_year') return msg(str`${period} 星级庭院`, { id: 'result.heading.stars' });
  if (!isSingleRound(r)) return msg(str`${period} 评比结果`, { id: 'result.heading.round' });
  return period ? msg(str`${period}结果`, { id: 'result.heading.single' }) : msg('评比结果', { id: 'title.results' });
}

export function resultStatusLabel(s: ResultStatus): string {
  switch (s) {
    case 'draft':
      return msg('草稿', { id: 'result.status.draft' });
    case 'announced':
      return msg('公示中', { id: 'result.status.announced' });
    case 'final':
      return msg('已定稿', { id: 'result.status.final' });
  }
}

export function objectionStatusLabel(s: Objection['status']): string {
  switch (s) {
    case 'open':
      return msg('待处理', { id: 'objection.status.open' });
    case 'upheld':
      return msg('异议成立', { id: 'objection.status.upheld' });
    case 'dismissed':
      return msg('异议不成立', { id: 'objection.status.dismissed' });
  }
}

/** 公示中 until … / 公示期已过 / 已定稿 / 草稿: one line that says where the results stand. */
export function statusBanner(r: ResultSet) {
  if (r.status === 'final') {
    return html`<p class="notice success banner" role="status">
      <strong>${msg('已定稿', { id: 'result.status.final' })}</strong>${r.finalizedAt ? msg(str`（${formatDate(r.finalizedAt)}）结果不再变动。`, { id: 'result.final.since' }) : nothing}
    </p>`;
  }
  if (r.status === 'announced') {
    return r.objectionsOpen
      ? html`<p class="notice warning banner" role="status">
          <strong>${msg('公示中', { id: 'result.status.announced' })}</strong>${msg(str`：${formatDateTime(r.objectionDeadline)} 前，对结果有不同意见可以提出异议。`, { id: 'result.announced.until' })}
        </p>`
      : html`<p class="notice info banner" role="status">
          <strong>${msg('公示期已结束', { id: 'result.announced.over' })}</strong>${runByTown(r.campaign.villages)
            ? msg('，等待镇里定稿。', { id: 'result.announced.overText.town' })
            : msg('，等待村里定稿。', { id: 'result.announced.overText' })}
        </p>`;
  }
  return html`<p class="notice info banner" role="status">
    <strong>${msg('草稿', { id: 'result.status.draft' })}</strong>${msg('：还没有公示，村民看不到。', { id: 'result.draft.text' })}
  </p>`;
}

/** 卫生情况 36.5/40 · 美化情况 27.0/30 … */
export function criteriaText(line: ResultLine): string {
  return line.criteria.map((c) => `${criterionName(c)} ${c.mean}/${c.max}`).join(' · ');
}

/** The changes upheld objections made, in plain words. */
export function changesView(r: ResultSet) {
  if (!r.changes.length) return nothing;
  return html`<section aria-labelledby="changes-h" class="changes">
    <h2 id="changes-h">${msg('异议处理后的变动', { id: 'result.changes' })}</h2>
    <ul class="plain">
      ${r.changes.map(
        (c) => html`<li class="card">
          <p>
            <strong>${msg(html`关于${zh(c.householdLabel)}的异议成立`, { id: 'result.change.upheld' })}</strong>
            <span class="muted">（${formatDate(c.decidedAt)}）</span>
          </p>
          <p>${msg('处理理由：', { id: 'result.change.reason' })}${zh(c.reason)}</p>
          ${c.moves.length
            ? html`<ul>
                ${[...c.moves]
                  // the household the objection was about first, then the others in their new order
                  .sort((a, b) => Number(b.householdLabel === c.householdLabel) - Number(a.householdLabel === c.householdLabel) || rankOf(a.after) - rankOf(b.after))
                  .map((m) => html`<li>${zh(`${m.householdLabel}：${m.before} → ${m.after}`)}</li>`)}
              </ul>`
            : nothing}
        </li>`,
      )}
    </ul>
  </section>`;
}

/** 第 3 名… → 3, for ordering the moves; anything else last. */
function rankOf(place: string): number {
  const m = /(\d+)/.exec(place);
  return m ? Number(m[1]) : 1e9;
}

/** Styles for the templates above. */
export const resultStyles = css`
  /* A fold (评分明细, earlier months) opens on a touch-sized line. */
  details summary {
    min-height: var(--cy-touch-target);
    display: flex;
    align-items: center;
    cursor: pointer;
    font-weight: 600;
    color: var(--cy-color-link);
  }
  .stars {
    color: #9a6700;
    letter-spacing: 0.05em;
    font-size: var(--cy-font-size-lg);
    white-space: nowrap;
  }
  .stars .off {
    color: var(--cy-color-border-soft);
  }
  .banner strong {
    font-size: var(--cy-font-size-lg);
  }
  .badge.announced {
    background: var(--cy-color-warning-bg);
    color: var(--cy-color-warning-text);
  }
  .badge.upheld {
    background: var(--cy-color-primary);
    color: var(--cy-color-on-primary);
  }
  .badge.dismissed {
    background: #ecebe6;
    color: var(--cy-color-text);
  }
  .badge.excluded {
    background: var(--cy-color-error-bg);
    color: var(--cy-color-error-text);
  }
  .changes ul ul {
    margin: 0;
    padding-left: 1.2em;
  }
`;

/** An amount in 元 (one line: it never breaks between the figure and 元). */
export function yuanView(fen: number) {
  return html`<span class="money">${msg(str`${formatYuan(fen)} 元`, { id: 'rewards.yuan' })}</span>`;
}

/** A reward: money, goods, or both (100.00 元 + 三星级荣誉门牌), as the ledger and 我的家庭 show it. */
export function rewardView(r: { amountFen: number | null; goods: string | null }) {
  return html`${r.amountFen !== null ? yuanView(r.amountFen) : nothing}${r.amountFen !== null && r.goods ? ' + ' : ''}${zh(r.goods)}`;
}
