// UploadForm: upload a firmware build as a new release, with a progress bar of
// the bytes sent and the server's validation errors in words.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { uploadFirmware } from '../../api/upload.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { Field } from '../../components/Field.js';
import { FilePicker } from './FilePicker.js';
import { releasePath } from '../../lib/paths.js';

const EMPTY = { version: '', channel: 'stable', state: 'active', rollout_percent: '', notes: '' };

export function UploadForm({ onUploaded }) {
  const { t } = useI18n();
  const [file, setFile] = useState(null);
  const [f, setF] = useState(EMPTY);
  const [progress, setProgress] = useState(null);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const set = (name) => (v) => setF((old) => ({ ...old, [name]: v }));
  const busy = progress !== null && !result && !error;

  const submit = async (e) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setResult(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const release = await uploadFirmware({ ...f, file }, (sent, total) => setProgress({ sent, total })).done;
      setResult(release);
      setFile(null);
      setF(EMPTY);
      onUploaded(release);
    } catch (err) {
      setError(err);
    }
  };

  return html`<form class="card upload" onSubmit=${submit} aria-labelledby="upload-h">
    <h2 id="upload-h">${t('upload.title')}</h2>
    <${FilePicker} id="upload-file" file=${file} onFile=${setFile} />
    <div class="grid-fields">
      <${Field} id="upload-version" label=${t('field.version')} value=${f.version} onValue=${set('version')} required autocomplete="off" hint=${t('upload.version_hint')} />
      <${Field} id="upload-channel" kind="select" label=${t('field.channel')} value=${f.channel} onValue=${set('channel')}
        options=${['stable', 'beta', 'dev'].map((c) => [c, t('channel.' + c)])} />
      <${Field} id="upload-state" kind="select" label=${t('upload.start_state')} value=${f.state} onValue=${set('state')}
        options=${[['active', t('state.active')], ['paused', t('state.paused')]]} />
      <${Field} id="upload-share" kind="number" label=${t('upload.share')} value=${f.rollout_percent} onValue=${set('rollout_percent')}
        min="0" max="100" step="0.01" hint=${t('upload.share_hint')} />
    </div>
    <div class="field">
      <label for="upload-notes">${t('field.notes')}</label>
      <textarea id="upload-notes" rows="3" value=${f.notes} onInput=${(e) => set('notes')(e.currentTarget.value)}></textarea>
    </div>
    <div class="actions">
      <button type="submit" class="primary" disabled=${!file || !f.version.trim() || busy}>${t('upload.submit')}</button>
    </div>
    ${progress ? html`<${ProgressBar} sent=${progress.sent} total=${progress.total} label=${t('upload.progress_label')} />` : null}
    ${result ? html`<div role="status" class="ok">
        ${t('upload.done', { version: result.version, channel: t('channel.' + result.channel) })}
        <a href=${releasePath(result.id)}>${t('upload.open_release')}</a>
        ${(result.warnings || []).map((w) => html`<p class="warning">${t('upload.warning')} ${w}</p>`)}
      </div>` : null}
    <${ErrorMessage} error=${error} context=${t('upload.failed')} />
  </form>`;
}
