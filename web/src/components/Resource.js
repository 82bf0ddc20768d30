// Resource: renders a useResource() state: loading, its error, or children(data).
// Once data has arrived a later error is shown above the (stale) data.
import { html } from '../lib/html.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Loading } from './Loading.js';

export function Resource({ state, context, children }) {
  if (state.data === null && state.error) return html`<${ErrorMessage} error=${state.error} context=${context} />`;
  if (state.data === null) return html`<${Loading} />`;
  return html`${state.error ? html`<${ErrorMessage} error=${state.error} context=${context} />` : null}${children(state.data)}`;
}
