// ConfirmButton: a button for a consequential action. The first press asks
// "are you sure" in words (question) with a confirm and a cancel button; only the
// confirm button runs onConfirm. Focus moves to the confirm button and back.
import { html } from '../lib/html.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';

export function ConfirmButton({ label, question, confirmLabel, onConfirm, busy, danger, disabled }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef(null);
  const startRef = useRef(null);
  useEffect(() => {
    if (asking && confirmRef.current) confirmRef.current.focus();
  }, [asking]);
  const cancel = () => {
    setAsking(false);
    setTimeout(() => startRef.current && startRef.current.focus());
  };
  if (!asking) {
    return html`<button type="button" ref=${startRef} class=${danger ? 'danger' : ''} disabled=${disabled || busy}
      onClick=${() => setAsking(true)}>${label}</button>`;
  }
  return html`<span class="confirm" role="group" aria-label=${question}>
    <span>${question}</span>
    <button type="button" ref=${confirmRef} class=${danger ? 'danger' : 'primary'} disabled=${busy}
      onClick=${async () => {
        await onConfirm();
        setAsking(false);
      }}>${confirmLabel || label}</button>
    <button type="button" onClick=${cancel}>${t('common.cancel')}</button>
  </span>`;
}
