import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type AuditRow } from '../api';
import { formatDateTime } from '../format';
import { actorLabel, auditRowWords, trailFacts } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView } from '../views';

/**
 * 操作记录 of one household, entry, campaign, round, result, plate or reward, folded until
 * asked for: when, who (their office or name, with their phone, as cadres see it), what was done
 * in words (a result's version and counts, the end of its objection period, the rewards entered,
 * the plate issued…), and the reason given (or the family phone a member change was about).
 * Read from the hash-chained audit log (GET /api/audit), so what a dialog promised to record can
 * be read back.
 */
@customElement('audit-trail')
@localized()
export class AuditTrail extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: var(--cy-space-2) 0 0;
      }
      li {
        padding: var(--cy-space-2) 0;
        border-bottom: 1px solid var(--cy-color-border-soft);
        overflow-wrap: anywhere;
      }
      .when {
        color: var(--cy-color-text-muted);
        font-size: var(--cy-font-size-sm);
      }
    `,
  ];

  /** `entry:en_…`, `household:hh_…`, `campaign:…`, `round:…`, `result:rs_…`, `plate:<serial>` or `reward:rw_…`. */
  @property() subject = '';
  /** The words of the fold; 操作记录 unless given. */
  @property() label = '';
  /** How the households of a result's trail are called (id → 陈家庭院（陈美丽）), to say whom each objection was about. */
  @property({ attribute: false }) households: ReadonlyMap<string, string> = new Map();
  /** Anything that changes when the subject has: an open trail is read again. */
  @property({ attribute: false }) revision: unknown = null;
  @state() private open = false;

  private rows = new Task(this, {
    task: async ([subject, open], { signal }) => (subject && open ? { subject, rows: await api.auditTrail(subject, signal) } : null),
    args: () => [this.subject, this.open, this.revision] as const,
  });

  override render() {
    return html`<details class="fold" @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}>
      <summary>${this.label || msg('操作记录', { id: 'audit.heading' })}</summary>
      ${this.open
        ? this.rows.render({
            // read again after a change: what was on screen stays until the new rows come (never another subject's)
            pending: () => (this.rows.value?.subject === this.subject ? this.list(this.rows.value.rows) : loadingView()),
            error: (e) => errorView(e, () => void this.rows.run()),
            complete: (trail) => (trail ? this.list(trail.rows) : nothing),
          })
        : nothing}
    </details>`;
  }

  private list(rows: AuditRow[]) {
    if (!rows.length) return emptyView(msg('还没有操作记录。', { id: 'audit.none' }));
    const facts = trailFacts(rows);
    return html`<ol>
      ${rows.map(
        (r) => html`<li>
          <span class="when">${formatDateTime(r.at)} · ${actorLabel(r)}</span><br />
          ${auditRowWords(r, facts, { households: this.households })}
        </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'audit-trail': AuditTrail;
  }
}
