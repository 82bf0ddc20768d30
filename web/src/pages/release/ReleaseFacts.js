// ReleaseFacts: a release's image metadata and upload facts.
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { Facts } from '../../components/Facts.js';
import { bytes, dateTime } from '../../lib/format.js';

export function ReleaseFacts({ release: r }) {
  const { t, lang } = useI18n();
  return html`<section aria-labelledby="image-h" class="card">
    <h2 id="image-h">${t('release.image')}</h2>
    <${Facts} items=${[
      [t('release.filename'), html`<code>${r.filename}</code>`],
      [t('release.size'), bytes(r.size, lang)],
      ['SHA-256', html`<code class="hash">${r.sha256}</code>`],
      ['MD5', html`<code class="hash">${r.md5}</code>`],
      [t('release.chip'), r.chip],
      [t('release.image_project'), r.image_project_name],
      [t('release.image_version'), r.image_version],
      [t('release.secure_version'), String(r.secure_version)],
      [t('release.idf_version'), r.idf_version],
      [t('release.signature'), r.signature],
      [t('release.uploaded'), dateTime(r.uploaded_at, lang)],
      [t('release.uploaded_by'), r.uploaded_by],
    ]} />
  </section>`;
}
