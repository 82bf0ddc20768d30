// Facts: a definition list of label/value pairs ([[label, value], ...]);
// pairs whose value is undefined are left out.
import { html } from '../lib/html.js';

export function Facts({ items }) {
  return html`<dl class="facts">
    ${items.filter(([, v]) => v !== undefined).map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}
  </dl>`;
}
