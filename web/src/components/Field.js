// Field: a labelled form control. kind "select" takes options [[value, label]...];
// other kinds are <input type=kind>. onValue receives the new string value.
import { html } from '../lib/html.js';

export function Field({ id, label, kind = 'text', value, onValue, options, hint, ...rest }) {
  const hintId = hint ? id + '-hint' : undefined;
  const control =
    kind === 'select'
      ? html`<select id=${id} value=${value} aria-describedby=${hintId} onChange=${(e) => onValue(e.currentTarget.value)} ...${rest}>
          ${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
        </select>`
      : html`<input id=${id} type=${kind} value=${value} aria-describedby=${hintId} onInput=${(e) => onValue(e.currentTarget.value)} ...${rest} />`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${control}
    ${hint ? html`<span id=${hintId} class="muted hint">${hint}</span>` : null}
  </div>`;
}
