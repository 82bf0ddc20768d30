// DeviceBlock: block a device (with an optional reason) or unblock it.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';

export function DeviceBlock({ device, onChanged }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const base = '/api/admin/devices/' + encodeURIComponent(device.device_id);
  const action = useAction(async (blocked) => {
    await api(base + (blocked ? '/block' : '/unblock'), { method: 'POST', body: blocked && reason ? { reason } : undefined });
    setReason('');
    onChanged();
  });
  return html`<section aria-labelledby="block-h" class="card">
    <h2 id="block-h">${t('device.blocking')}</h2>
    ${device.blocked
      ? html`<p>${t('device.blocked_since_reason', { reason: device.blocked_reason || t('common.none') })}</p>
          <button type="button" onClick=${() => action.perform(false)} disabled=${action.busy}>${t('device.unblock')}</button>`
      : html`<div class="field">
            <label for="block-reason">${t('device.block_reason')}</label>
            <input id="block-reason" value=${reason} maxlength="500" onInput=${(e) => setReason(e.currentTarget.value)} />
          </div>
          <${ConfirmButton} label=${t('device.block')} question=${t('device.block_confirm', { id: device.device_id })}
            danger onConfirm=${() => action.perform(true)} busy=${action.busy} />`}
    <${ErrorMessage} error=${action.error} />
  </section>`;
}
