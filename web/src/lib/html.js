// html: htm bound to Preact's h(), the console's template tag (no JSX build step).
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
