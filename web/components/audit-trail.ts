import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type AuditRow } from '../api';
import { formatDateTime } from '../format';
import { actorLabel, auditActionLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView } from '../views';
import { zh } from '../i18n/server-text';

/**
 * 操作记录 of one household, entry, campaign or round, folded until asked for: when, who
 * (their office or name, with their phone, as cadres see it), what was done in words, and the
 * reason given (or the family phone a member change was about). Read from the
 * hash-chained audit log (GET /api/audit), so what a dialog promised to record can be read back.
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

  /** `entry:en_…`, `household:hh_…`, `campaign:…` or `round:…`. */
  @property() subject = '';
  @state() private open = false;

  private rows = new Task(this, {
    task: ([subject, open], { signal }) => (subject && open ? api.auditTrail(subject, signal) : Promise.resolve(null)),
    args: () => [this.subject, this.open] as const,
  });

  override render() {
    return html`<details class="fold" @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}>
      <summary>${msg('操作记录', { id: 'audit.heading' })}</summary>
      ${this.open
        ? this.rows.render({
            pending: () => loadingView(),
            error: (e) => errorView(e, () => void this.rows.run()),
            complete: (rows) => (rows ? this.list(rows) : nothing),
          })
        : nothing}
    </details>`;
  }

  private list(rows: AuditRow[]) {
    if (!rows.length) return emptyView(msg('还没有操作记录。', { id: 'audit.none' }));
    return html`<ol>
      ${rows.map((r) => {
        const detail = detailOf(r);
        return html`<li>
          <span class="when">${formatDateTime(r.at)} · ${actorLabel(r)}</span><br />
          ${auditActionLabel(r.action)}${detail ? html`：${r.reason ? zh(detail) : detail}` : nothing}
        </li>`;
      })}
    </ol>`;
  }
}

/** What follows the action: the reason given, else the family phone a member change was about (添加/移出家人手机号). */
function detailOf(r: AuditRow): string | null {
  if (r.reason) return r.reason;
  const side = (r.after ?? r.before) as { phone?: unknown } | null;
  return typeof side?.phone === 'string' ? side.phone : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'audit-trail': AuditTrail;
  }
}
