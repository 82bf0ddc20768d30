// Entry point: mounts the console into #app.
import { render } from 'preact';
import { html } from './lib/html.js';
import { App } from './app.js';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

render(html`<${App} />`, document.getElementById('app'));
