// OutcomeChart: OTA attempt outcomes per hour or day (installed, failed, stuck,
// rolled back) as lines over time, with a legend and the numbers as a table.
import { html } from '../lib/html.js';
import { useMemo } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { dateTime, number } from '../lib/format.js';
import { UPlotChart } from './UPlotChart.js';
import { Legend } from './Legend.js';
import { AXIS_COLOR, GRID_COLOR, OUTCOME_COLORS } from './colors.js';

const OUTCOMES = ['installed', 'failed', 'stuck', 'rolled_back'];

function axisTime(seconds, bucket, lang) {
  const options = bucket === 'day' ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', options).format(seconds * 1000);
}

export function OutcomeChart({ outcomes }) {
  const { t, lang } = useI18n();
  const buckets = outcomes.buckets || [];
  const data = useMemo(
    () => [buckets.map((b) => Date.parse(b.start) / 1000), ...OUTCOMES.map((o) => buckets.map((b) => b[o] ?? 0))],
    [JSON.stringify(buckets)]
  );
  const options = useMemo(
    () => ({
      legend: { show: false },
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: AXIS_COLOR, grid: { stroke: GRID_COLOR }, values: (u, splits) => splits.map((s) => axisTime(s, outcomes.bucket, lang)) },
        { stroke: AXIS_COLOR, grid: { stroke: GRID_COLOR }, values: (u, splits) => splits.map((v) => number(v, lang)) },
      ],
      series: [{}, ...OUTCOMES.map((o) => ({ label: t('outcome.' + o), stroke: OUTCOME_COLORS[o], width: 2, points: { size: 4 } }))],
    }),
    [data, lang]
  );
  return html`<figure class="chart-figure" aria-labelledby="outcome-caption">
    <figcaption id="outcome-caption">${t('overview.outcomes_caption', { bucket: t('bucket.' + (outcomes.bucket || 'hour')) })}</figcaption>
    <${Legend} items=${OUTCOMES.map((o) => [t('outcome.' + o), OUTCOME_COLORS[o]])} />
    <${UPlotChart} options=${options} data=${data} />
    <details>
      <summary>${t('common.show_table')}</summary>
      <table>
        <caption class="visually-hidden">${t('overview.outcomes_caption', { bucket: t('bucket.' + (outcomes.bucket || 'hour')) })}</caption>
        <thead><tr><th scope="col">${t('overview.bucket_start')}</th>${OUTCOMES.map((o) => html`<th scope="col">${t('outcome.' + o)}</th>`)}</tr></thead>
        <tbody>${buckets.map((b) => html`<tr><td>${dateTime(b.start, lang)}</td>${OUTCOMES.map((o) => html`<td class="num">${number(b[o] ?? 0, lang)}</td>`)}</tr>`)}</tbody>
      </table>
    </details>
  </figure>`;
}
