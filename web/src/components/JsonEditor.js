// JsonEditor: a labelled textarea for one JSON object, checked in the browser as
// the user types (must parse and be an object). Save is offered only for valid
// text; onSave(object) returns a promise, whose failure (the server's refusal) is
// shown under the editor. initial is the object to start from.
import { html } from '../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { useAction } from '../hooks/useAction.js';
import { ErrorMessage } from './ErrorMessage.js';

function check(text, t) {
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return t('json.not_object');
    return '';
  } catch (e) {
    return t('json.invalid', { detail: e.message });
  }
}

export function JsonEditor({ id, label, initial, onSave }) {
  const { t } = useI18n();
  const [text, setText] = useState(JSON.stringify(initial ?? {}, null, 2));
  useEffect(() => setText(JSON.stringify(initial ?? {}, null, 2)), [JSON.stringify(initial)]);
  const problem = check(text, t);
  const save = useAction((obj) => onSave(obj));
  const hintId = id + '-hint';
  return html`<form class="json-editor" onSubmit=${(e) => {
      e.preventDefault();
      if (!problem) save.perform(JSON.parse(text));
    }}>
    <label for=${id}>${label}</label>
    <textarea id=${id} rows="10" spellcheck="false" value=${text} aria-invalid=${problem ? 'true' : 'false'}
      aria-describedby=${hintId} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <p id=${hintId} class=${problem ? 'field-error' : 'muted'} aria-live="polite">${problem || t('json.valid')}</p>
    <div class="actions">
      <button type="submit" class="primary" disabled=${!!problem || save.busy}>${t('common.save')}</button>
      ${save.done ? html`<span role="status" class="ok">${t('common.saved')}</span>` : null}
    </div>
    <${ErrorMessage} error=${save.error} />
  </form>`;
}
