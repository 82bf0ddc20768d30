// UPlotChart: mounts a uPlot chart (options without width/height, data) into a
// div that follows its container's width. The canvas is hidden from assistive
// technology: every chart in the console has a data table beside it.
import { html } from '../lib/html.js';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export function UPlotChart({ options, data, height = 220 }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const el = box.current;
    plot.current = new uPlot({ ...options, width: el.clientWidth || 300, height }, data, el);
    const observer = new ResizeObserver(() => {
      if (plot.current && el.clientWidth) plot.current.setSize({ width: el.clientWidth, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current.destroy();
      plot.current = null;
    };
  }, [options, data, height]);
  return html`<div class="chart" ref=${box} aria-hidden="true"></div>`;
}
