import { css } from 'lit';

/**
 * Styles every page and component shares inside its shadow root: type, buttons, form
 * fields, notices, cards. Everything reads the tokens in tokens.css.
 */
export const sharedStyles = css`
  :host {
    font-size: var(--cy-font-size-base);
    line-height: var(--cy-line-height);
    color: var(--cy-color-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  h1,
  h2,
  h3 {
    line-height: 1.3;
    margin: 0 0 var(--cy-space-3);
  }
  h1 {
    font-size: var(--cy-font-size-2xl);
  }
  h2 {
    font-size: var(--cy-font-size-xl);
    margin-top: var(--cy-space-5);
  }
  h3 {
    font-size: var(--cy-font-size-lg);
  }
  p {
    margin: 0 0 var(--cy-space-3);
  }
  a {
    color: var(--cy-color-link);
    text-underline-offset: 0.15em;
  }
  :focus-visible {
    outline: var(--cy-focus-ring);
    outline-offset: 2px;
  }
  .muted {
    color: var(--cy-color-text-muted);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* a photo that did not load (views.photoFailed): drawn as a plain grey frame instead of the
     browser's broken-image mark and alt text over the card; still in the accessibility tree,
     where its text may be a button's name */
  img.broken {
    content: url('data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
    background-color: var(--cy-color-border-soft);
  }

  /* a page's "back to …" link: a whole touch target high */
  .back {
    display: inline-flex;
    align-items: center;
    min-height: var(--cy-touch-target);
  }

  /* buttons and button-like links */
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--cy-space-2);
    min-height: var(--cy-touch-target);
    min-width: var(--cy-touch-target);
    padding: var(--cy-space-2) var(--cy-space-4);
    border: 2px solid var(--cy-color-primary);
    border-radius: var(--cy-radius);
    background: var(--cy-color-surface);
    color: var(--cy-color-primary);
    font: inherit;
    font-weight: 600;
    text-align: center;
    text-decoration: none;
    cursor: pointer;
    touch-action: manipulation;
  }
  .btn:hover {
    background: var(--cy-color-primary-soft);
  }
  /* A file input left visible (the roster) gets a button like the others, not the browser's small
     default. Its own rule, not added to .btn's: a browser that does not know this pseudo-element
     would drop the whole rule, .btn with it. */
  input[type='file']::file-selector-button {
    min-height: var(--cy-touch-target);
    margin-inline-end: var(--cy-space-3);
    padding: var(--cy-space-2) var(--cy-space-4);
    border: 2px solid var(--cy-color-primary);
    border-radius: var(--cy-radius);
    background: var(--cy-color-surface);
    color: var(--cy-color-primary);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .btn.primary {
    background: var(--cy-color-primary);
    color: var(--cy-color-on-primary);
  }
  .btn.primary:hover {
    background: var(--cy-color-primary-hover);
    border-color: var(--cy-color-primary-hover);
  }
  .btn.danger {
    border-color: var(--cy-color-danger);
    color: var(--cy-color-danger);
  }
  .btn.danger:hover {
    background: var(--cy-color-error-bg);
  }
  .btn.block {
    display: flex;
    width: 100%;
  }
  .btn[disabled],
  .btn[aria-disabled='true'] {
    cursor: not-allowed;
    border-color: var(--cy-color-border);
    background: #ecebe6;
    color: var(--cy-color-text-muted);
  }
  /* a folded list (已确认, 已发放…): a summary as big as a finger, with a triangle that turns */
  details.fold > summary {
    min-height: var(--cy-touch-target);
    display: flex;
    align-items: center;
    gap: var(--cy-space-2);
    cursor: pointer;
    font-weight: 600;
    color: var(--cy-color-link);
  }
  /* a flex summary drops the browser's own triangle: draw one */
  details.fold > summary::before {
    content: '';
    flex: none;
    width: 0;
    height: 0;
    border-style: solid;
    border-width: 6px 0 6px 9px;
    border-color: transparent transparent transparent currentColor;
    transition: transform 0.15s;
  }
  details.fold[open] > summary::before {
    transform: rotate(90deg);
  }
  /* an entry's 编号 beside its household's name: what tells three 陈家庭院 apart */
  .number {
    display: inline-block;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--cy-color-text-muted);
    white-space: nowrap;
  }
  /* the disclosure of a short list's older items (views.shortList) */
  details.more > summary {
    list-style: none;
  }
  details.more > summary::-webkit-details-marker {
    display: none;
  }
  details.more[open] > summary {
    margin-bottom: var(--cy-space-3);
  }
  .btn-row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cy-space-3);
    margin-top: var(--cy-space-3);
  }

  /* form fields */
  .field {
    display: flex;
    flex-direction: column;
    gap: var(--cy-space-1);
    margin-bottom: var(--cy-space-4);
  }
  label,
  .label {
    font-weight: 600;
  }
  .hint {
    font-size: var(--cy-font-size-base);
    color: var(--cy-color-text-muted);
    margin: 0;
  }
  input:not([type='radio']):not([type='checkbox']):not([type='file']),
  select,
  textarea {
    width: 100%;
    min-height: var(--cy-touch-target);
    padding: var(--cy-space-2) var(--cy-space-3);
    border: 2px solid var(--cy-color-border);
    border-radius: var(--cy-radius-sm);
    background: var(--cy-color-surface);
    color: var(--cy-color-text);
    font: inherit;
  }
  input[type='file'] {
    font: inherit;
    max-width: 100%;
    min-height: var(--cy-touch-target);
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--cy-color-danger);
  }
  fieldset {
    border: 2px solid var(--cy-color-border-soft);
    border-radius: var(--cy-radius);
    padding: var(--cy-space-3) var(--cy-space-4);
    margin: 0 0 var(--cy-space-4);
    min-width: 0;
  }
  legend {
    font-weight: 600;
    padding: 0 var(--cy-space-1);
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--cy-space-3);
    min-height: var(--cy-touch-target);
    font-weight: normal;
    cursor: pointer;
  }
  .choice input {
    width: 28px;
    height: 28px;
    margin: 0;
    flex: none;
  }
  /* a link standing alone on its line: as tall as a button, for a finger */
  a.tall {
    display: inline-flex;
    align-items: center;
    min-height: var(--cy-touch-target);
  }
  /* on paper, buttons are only in the way */
  @media print {
    .btn,
    button {
      display: none !important;
    }
  }
  .field-error {
    color: var(--cy-color-error-text);
    font-weight: 600;
    margin: 0;
  }

  /* notices: status and errors in plain words */
  .content-loading {
    min-height: 100vh;
  }
  .notice {
    border-radius: var(--cy-radius);
    padding: var(--cy-space-3) var(--cy-space-4);
    margin: 0 0 var(--cy-space-4);
    border-left: 6px solid currentColor;
  }
  .notice > :last-child {
    margin-bottom: 0;
  }
  .notice.info {
    background: var(--cy-color-info-bg);
    color: var(--cy-color-info-text);
  }
  .notice.success {
    background: var(--cy-color-success-bg);
    color: var(--cy-color-success-text);
  }
  .notice.warning {
    background: var(--cy-color-warning-bg);
    color: var(--cy-color-warning-text);
  }
  .notice.error {
    background: var(--cy-color-error-bg);
    color: var(--cy-color-error-text);
  }

  .card {
    background: var(--cy-color-surface);
    border: 1px solid var(--cy-color-border-soft);
    border-radius: var(--cy-radius);
    padding: var(--cy-space-4);
    margin: 0 0 var(--cy-space-4);
    box-shadow: var(--cy-shadow);
  }
  .money {
    white-space: nowrap;
  }
  /* what is ticked in a list, and the action on it (suspicious likes, rewards) */
  .selection-bar {
    background: var(--cy-color-surface);
    border: 2px solid var(--cy-color-border-soft);
    border-radius: var(--cy-radius);
    padding: var(--cy-space-2) var(--cy-space-3) var(--cy-space-3);
    margin-bottom: var(--cy-space-3);
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .badge {
    display: inline-block;
    padding: 0 var(--cy-space-2);
    border-radius: 999px;
    font-size: var(--cy-font-size-base);
    font-weight: 600;
    /* short labels stay on one line; a long one (English) wraps rather than widening the page */
    max-width: 100%;
    overflow-wrap: anywhere;
    background: var(--cy-color-info-bg);
    color: var(--cy-color-info-text);
  }
  .badge.draft,
  .badge.pending {
    background: var(--cy-color-warning-bg);
    color: var(--cy-color-warning-text);
  }
  .badge.open,
  .badge.confirmed,
  .badge.entries_open {
    background: var(--cy-color-success-bg);
    color: var(--cy-color-success-text);
  }
  .badge.closed,
  .badge.final {
    background: #ecebe6;
    color: var(--cy-color-text);
  }
  .badge.rejected,
  .badge.hidden,
  .badge.withdrawn,
  .badge.disqualified {
    background: var(--cy-color-error-bg);
    color: var(--cy-color-error-text);
  }
  .badge.qualified,
  .badge.awarded {
    background: var(--cy-color-primary);
    color: var(--cy-color-on-primary);
  }
  .badge.proxy {
    background: #ecebe6;
    color: var(--cy-color-text);
  }
  .badge.unread {
    background: var(--cy-color-danger);
    color: var(--cy-color-on-primary);
  }

  /* a bar that fills up (likes towards the threshold, upload progress) */
  .meter {
    display: block;
    height: 10px;
    border-radius: 999px;
    background: var(--cy-color-border-soft);
    overflow: hidden;
  }
  .meter > span {
    display: block;
    height: 100%;
    border-radius: inherit;
    background: var(--cy-color-primary);
    transition: width 0.2s;
  }
  .meter.failed > span {
    background: var(--cy-color-danger);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--cy-color-surface);
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: var(--cy-space-2);
    border: 1px solid var(--cy-color-border-soft);
    overflow-wrap: anywhere;
  }
  th {
    background: #f0ede4;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: var(--cy-space-2);
  }
  dl.facts {
    display: grid;
    /* the label takes what it needs up to 45 %, then wraps; the value wraps rather than run off */
    grid-template-columns: fit-content(45%) minmax(0, 1fr);
    gap: var(--cy-space-1) var(--cy-space-4);
    margin: 0 0 var(--cy-space-3);
  }
  dl.facts dt {
    color: var(--cy-color-text-muted);
    /* a label such as 村（社区） breaks at its bracket, not between any two characters */
    word-break: keep-all;
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
`;
