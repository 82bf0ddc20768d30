// StagesEditor: edit the release's stage schedule as rows of percent, minimum
// duration (hours) and minimum successes; saving starts it at its first stage.
// An empty schedule ends staging and keeps the current share.
import { html } from '../../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

const toRows = (stages) =>
  stages.map((s) => ({ percent: String(s.percent), hours: String((s.min_duration_seconds || 0) / 3600), successes: String(s.min_successes || 0) }));

export function StagesEditor({ release, onChanged }) {
  const { t } = useI18n();
  const [rows, setRows] = useState(toRows(release.stages));
  useEffect(() => setRows(toRows(release.stages)), [JSON.stringify(release.stages)]);
  const update = (i, name, v) => setRows(rows.map((r, j) => (j === i ? { ...r, [name]: v } : r)));
  const save = useAction(async () => {
    const stages = rows.map((r) => ({
      percent: Number(r.percent),
      min_duration_seconds: Math.round(Number(r.hours || 0) * 3600),
      min_successes: Math.round(Number(r.successes || 0)),
    }));
    await api(`/api/admin/releases/${release.id}`, { method: 'PATCH', body: { stages } });
    onChanged();
  });
  return html`<form onSubmit=${(e) => { e.preventDefault(); save.perform(); }}>
    ${rows.length ? html`<table class="stages">
      <caption>${t('release.stages_edit')}</caption>
      <thead><tr><th scope="col">#</th><th scope="col">${t('release.stage_percent')}</th><th scope="col">${t('release.stage_hours')}</th>
        <th scope="col">${t('release.stage_successes')}</th><th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th></tr></thead>
      <tbody>${rows.map((r, i) => html`<tr>
        <th scope="row">${i + 1}</th>
        <td><input type="number" min="0.01" max="100" step="0.01" required value=${r.percent}
          aria-label=${t('release.stage_percent_n', { n: i + 1 })} onInput=${(e) => update(i, 'percent', e.currentTarget.value)} /></td>
        <td><input type="number" min="0" step="0.25" value=${r.hours}
          aria-label=${t('release.stage_hours_n', { n: i + 1 })} onInput=${(e) => update(i, 'hours', e.currentTarget.value)} /></td>
        <td><input type="number" min="0" step="1" value=${r.successes}
          aria-label=${t('release.stage_successes_n', { n: i + 1 })} onInput=${(e) => update(i, 'successes', e.currentTarget.value)} /></td>
        <td><button type="button" onClick=${() => setRows(rows.filter((_, j) => j !== i))}>${t('release.remove_stage_n', { n: i + 1 })}</button></td>
      </tr>`)}</tbody>
    </table>` : html`<p class="muted">${t('release.no_stages_hint')}</p>`}
    <div class="actions">
      <button type="button" onClick=${() => setRows([...rows, { percent: '', hours: '1', successes: '0' }])}>${t('release.add_stage')}</button>
      ${rows.length || release.stages.length
        ? html`<button type="submit" disabled=${save.busy}>${rows.length ? t('release.start_stages') : t('release.end_stages')}</button>`
        : null}
    </div>
    <${ErrorMessage} error=${save.error} />
  </form>`;
}
