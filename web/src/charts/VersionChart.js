// VersionChart: how many devices of one channel run each firmware version, as
// bars (uPlot's bar path builder), with the same numbers as a table.
import { html } from '../lib/html.js';
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { useI18n } from '../i18n/index.js';
import { number } from '../lib/format.js';
import { UPlotChart } from './UPlotChart.js';
import { AXIS_COLOR, BAR_COLOR, GRID_COLOR } from './colors.js';

export function VersionChart({ channel, versions }) {
  const { t, lang } = useI18n();
  const labels = versions.map((v) => v.version ?? t('overview.version_unknown'));
  const counts = versions.map((v) => v.devices);
  const data = useMemo(() => [labels.map((_, i) => i), counts], [JSON.stringify(versions), lang]);
  const options = useMemo(
    () => ({
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, Math.max(labels.length - 0.5, 0.5)] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: AXIS_COLOR, grid: { show: false }, splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => labels[i] ?? '') },
        { stroke: AXIS_COLOR, grid: { stroke: GRID_COLOR }, values: (u, splits) => splits.map((v) => number(v, lang)) },
      ],
      series: [{}, { label: t('overview.devices'), fill: BAR_COLOR, stroke: BAR_COLOR, paths: uPlot.paths.bars({ size: [0.6, 64] }), points: { show: false } }],
    }),
    [data]
  );
  const captionId = 'vc-' + channel;
  return html`<figure class="chart-figure" aria-labelledby=${captionId}>
    <figcaption id=${captionId}>${t('overview.channel_versions', { channel: t('channel.' + channel) })}</figcaption>
    <${UPlotChart} options=${options} data=${data} height=${180} />
    <details>
      <summary>${t('common.show_table')}</summary>
      <table>
        <caption class="visually-hidden">${t('overview.channel_versions', { channel: t('channel.' + channel) })}</caption>
        <thead><tr><th scope="col">${t('field.version')}</th><th scope="col">${t('overview.devices')}</th></tr></thead>
        <tbody>${versions.map((v, i) => html`<tr><td>${labels[i]}</td><td class="num">${number(v.devices, lang)}</td></tr>`)}</tbody>
      </table>
    </details>
  </figure>`;
}
