// Legend: the series names of a chart with their colour swatches.
import { html } from '../lib/html.js';

function Swatch({ color }) {
  const set = (el) => {
    if (el) el.style.backgroundColor = color;
  };
  return html`<span class="swatch" ref=${set} aria-hidden="true"></span>`;
}

export function Legend({ items }) {
  return html`<ul class="legend">
    ${items.map(([label, color]) => html`<li><${Swatch} color=${color} />${label}</li>`)}
  </ul>`;
}
