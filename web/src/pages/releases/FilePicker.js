// FilePicker: choose a firmware file with the file dialog or by dropping it on the
// zone. onFile(File) receives the choice.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { bytes } from '../../lib/format.js';

export function FilePicker({ id, file, onFile }) {
  const { t, lang } = useI18n();
  const [over, setOver] = useState(false);
  const drop = (e) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) onFile(f);
  };
  return html`<div class=${'dropzone' + (over ? ' over' : '')}
      onDragOver=${(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave=${() => setOver(false)} onDrop=${drop}>
    <label for=${id}>${t('upload.file')}</label>
    <input id=${id} type="file" accept=".bin,application/octet-stream" aria-describedby=${id + '-hint'}
      onChange=${(e) => e.currentTarget.files[0] && onFile(e.currentTarget.files[0])} />
    <p id=${id + '-hint'} class="muted">${t('upload.drop_hint')}</p>
    ${file ? html`<p aria-live="polite">${t('upload.chosen', { name: file.name, size: bytes(file.size, lang) })}</p>` : null}
  </div>`;
}
