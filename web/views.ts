import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import { runByTown } from '../server/domain/campaigns';
import { errorMessage, type Campaign, type VillageTodo } from './api';
import { currentLocale } from './i18n/localization';
import { said, zhLang } from './i18n/server-text';

/*
 * The three states every page has besides its content, worded for elderly readers. These are
 * plain templates: they rely on `sharedStyles` in the element that renders them.
 */

/**
 * Said to a village cadre on a campaign of several villages, which they may read but which its
 * town admin runs: instead of buttons the server would refuse.
 */
export function runByTownNote(c: Pick<Campaign, 'villages'>) {
  const town = c.villages[0]?.townName ?? '';
  const n = c.villages.length;
  return html`<p class="notice info">
    ${runByTown(c.villages)
      ? msg(str`这个活动有 ${n} 个村参加，由${town}的镇管理员开启活动、推进轮次、计算和公示结果、处理异议、发放门牌；您在这里可以查看。`, { id: 'campaign.runByTown' })
      : msg('这个活动由本村的村干部开启、推进和公示结果；您在这里可以查看。', { id: 'campaign.runByCadre' })}
  </p>`;
}

export function loadingView(text?: string) {
  return html`<p class="notice info" role="status">${text ?? msg('正在加载，请稍等……', { id: 'state.loading' })}</p>`;
}

/**
 * The loading notice of a page or gallery whose content is on its way. It holds a screen's
 * height, so that what follows (the footer, a button) is not shown and then pushed away
 * when the content arrives: on a slow phone that jump moves what the person was about to tap.
 */
export function contentLoadingView() {
  return html`<div class="content-loading">${loadingView()}</div>`;
}

export function errorView(err: unknown, retry?: () => void) {
  const text = errorMessage(err);
  if (!text) return nothing;
  return html`<div class="notice error" role="alert">
    <p>${said(text)}</p>
    ${retry
      ? html`<button type="button" class="btn" @click=${retry}>${msg('再试一次', { id: 'state.retry' })}</button>`
      : nothing}
  </div>`;
}

/**
 * What an action did, said in a live region that is always on the page (so that a screen
 * reader announces each new sentence), shown as a success notice once there is one.
 */
export function doneNote(text: string) {
  return html`<p role="status" class=${text ? 'notice success' : 'visually-hidden'}>${text}</p>`;
}

/** Why an action was refused, announced at once; nothing while there is none. */
export function refusalNote(text: string | null | undefined) {
  return text ? html`<div class="notice error" role="alert"><p>${said(text)}</p></div>` : nothing;
}

/**
 * For `@error` on a photo: one that did not load (a weak connection, or a demo photo still being
 * drawn) is drawn as a plain grey frame instead of the browser's broken-image mark, and is tried
 * once more a few seconds later; if it comes, it is shown.
 */
export function photoFailed(e: Event): void {
  const img = e.target as HTMLImageElement;
  img.classList.add('broken');
  if (img.dataset.retried) return;
  img.dataset.retried = '1';
  img.addEventListener('load', () => img.classList.remove('broken'), { once: true });
  setTimeout(() => {
    if (img.isConnected) img.src = img.getAttribute('src') ?? img.src;
  }, 3000);
}

/**
 * An action that cannot be taken back, asked about in place rather than in a browser dialog:
 * the question, what it will do, then the action's own words on its button and 取消. The caller
 * moves focus to the notice (`id`, or the button it names) when it shows it, and back when it
 * goes, so that a screen reader reads the question first.
 */
export function confirmView(o: {
  id?: string;
  question: string;
  details?: readonly unknown[];
  yes: string;
  danger?: boolean;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  // The action's button is described by the question and what it will do: focused on it, a
  // screen reader reads them too, not only 确定撤回.
  const said = `${o.id ?? 'confirm'}-said`;
  return html`<div class="notice warning confirm" id=${o.id ?? nothing} tabindex="-1">
    <div id=${said}>
      <p><strong>${o.question}</strong></p>
      ${(o.details ?? []).map((d) => html`<p>${d}</p>`)}
    </div>
    <div class="btn-row">
      <button type="button" class=${o.danger ? 'btn danger' : 'btn primary'} aria-describedby=${said} ?disabled=${o.busy} @click=${o.onYes}>${o.yes}</button>
      <button type="button" class="btn" ?disabled=${o.busy} @click=${o.onNo}>${msg('取消', { id: 'common.cancel' })}</button>
    </div>
  </div>`;
}

export function emptyView(text: string) {
  return html`<p class="notice info">${text}</p>`;
}

/** Options under one heading of a grouped select (a campaign's rounds). */
export interface OptionGroup {
  /** A campaign's title: the server's words, marked Chinese in English mode; its options are the app's. */
  label: string;
  options: Array<{ value: string; label: string }>;
}

/**
 * A labelled select whose options stand under their campaign's name; while nothing is chosen a
 * "please choose" line stands first and is selected, so the first real option is never taken
 * for a choice the person did not make.
 */
export function groupedSelect(o: { id: string; label: string; chosen: string; groups: OptionGroup[]; onChange: (value: string) => void }) {
  const pageLang = currentLocale() === 'en' ? 'en' : nothing;
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <select id=${o.id} @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}>
      ${o.chosen ? nothing : html`<option value="" selected>${msg('请选择轮次', { id: 'roundPicker.choose' })}</option>`}
      ${o.groups.map(
        (g) => html`<optgroup label=${g.label} lang=${zhLang()}>
          ${g.options.map((x) => html`<option value=${x.value} lang=${pageLang} .selected=${x.value === o.chosen}>${x.label}</option>`)}
        </optgroup>`,
      )}
    </select>
  </div>`;
}

/**
 * A list that grows month by month (a household's entries, results, messages): the newest
 * `keep` items and any that `always` keeps in view (unread, waiting for the person), then the
 * rest behind one "显示更早的…" disclosure, so that an elderly reader does not scroll past a
 * year of cards to reach the end of the page. The disclosure is the browser's own
 * (details/summary): it is announced as collapsed or expanded and keeps the focus where it is.
 */
export function shortList<T>(items: readonly T[], o: { keep: number; item: (t: T) => unknown; more: (hidden: number) => string; always?: (t: T) => boolean }) {
  const shown: T[] = [];
  const rest: T[] = [];
  items.forEach((t, i) => (i < o.keep || o.always?.(t) ? shown : rest).push(t));
  return html`<ul class="plain">${shown.map(o.item)}</ul>
    ${rest.length
      ? html`<details class="more">
          <summary class="btn block">${o.more(rest.length)}</summary>
          <ul class="plain">${rest.map(o.item)}</ul>
        </details>`
      : nothing}`;
}

/** What waits for a village's cadre, in words ("可疑点赞 12"): only what is there. */
export function waitingItems(t: VillageTodo): string[] {
  const items = [
    [t.households, msg('待确认登记', { id: 'town.todo.households' })],
    [t.photos, msg('待核查照片', { id: 'town.todo.photos' })],
    [t.likes, msg('可疑点赞', { id: 'console.tab.likes' })],
    [t.scoring, msg('逾期未评', { id: 'town.todo.scoring' })],
    [t.objections, msg('待处理异议', { id: 'town.todo.objections' })],
    [t.results, msg('待公示或定稿的结果', { id: 'town.todo.results' })],
    [t.rewards, msg('待发奖励', { id: 'town.todo.rewards' })],
  ] as const;
  return items.filter(([n]) => n > 0).map(([n, label]) => msg(str`${label} ${n}`, { id: 'town.todo.item' }));
}
